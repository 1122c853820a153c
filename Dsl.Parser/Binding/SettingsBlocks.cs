using System;
using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Syntax;

namespace AvDsl.Dsl.Binding;

/// <summary>Reads the <c>kind { key: value … }</c> blocks (<c>train</c>, <c>data</c>, <c>eval</c>): one block of a kind, known keys, each once.</summary>
internal sealed class SettingsBlocks
{
    private readonly DiagnosticSink _diagnostics;

    public SettingsBlocks(DiagnosticSink diagnostics) => _diagnostics = diagnostics;

    public SettingsBlockSyntax? SingleBlock(SpecSyntax spec, string kind)
    {
        var blocks = spec.Members.OfType<SettingsBlockSyntax>().Where(b => b.Kind == kind).ToList();
        foreach (var extra in blocks.Skip(1))
        {
            _diagnostics.Report(DiagnosticCodes.Duplicate, extra.KindSpan, $"spec `{spec.Name}` has more than one `{kind}` block", "merge them into one");
        }
        return blocks.FirstOrDefault();
    }

    /// <summary>Whether an unknown key of the block is evidently <paramref name="key"/> misspelt (<c>stepz</c>): then
    /// the misspelling is the one error, and the key is not also reported missing.</summary>
    public static bool IsMisspelt(SettingsBlockSyntax block, string key, params string[] known) =>
        block.Settings.Any(s => !known.Contains(s.Key) && NearMiss.Find(s.Key, known) == key);

    public Dictionary<string, SettingSyntax> Settings(SettingsBlockSyntax block, params string[] known)
    {
        var result = new Dictionary<string, SettingSyntax>(StringComparer.Ordinal);
        foreach (var setting in block.Settings)
        {
            if (!known.Contains(setting.Key))
            {
                _diagnostics.Report(DiagnosticCodes.UnknownSetting, setting.KeySpan, $"`{block.Kind}` has no setting `{setting.Key}`",
                    NearMiss.Help(setting.Key, known, "its settings are " + string.Join(", ", known.Select(k => $"`{k}`"))));
                continue;
            }
            if (result.ContainsKey(setting.Key))
            {
                _diagnostics.Report(DiagnosticCodes.Duplicate, setting.KeySpan, $"`{setting.Key}` is set twice in `{block.Kind}`", "keep one");
                continue;
            }
            result[setting.Key] = setting;
        }
        return result;
    }
}
