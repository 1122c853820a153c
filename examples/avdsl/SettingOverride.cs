using System.Text.RegularExpressions;

namespace AvDsl.Cli;

/// <summary>One <c>--set path=value</c>: a spec override (<c>encoder.depth = 4</c>, <c>train.lr.peak = 1e-3</c>) given on
/// the command line. It is bound as the same line in the spec would be, so a typo gets the near miss and a wrong type
/// says which.</summary>
public sealed partial record SettingOverride(string Path, string Value)
{
    public string Text => $"{Path}={Value}";

    /// <summary>The override of <c>path=value</c>; null with <paramref name="error"/> set when it is not one.</summary>
    public static SettingOverride? Parse(string text, out string? error)
    {
        error = null;
        var equals = text.IndexOf('=');
        if (equals < 0)
        {
            error = $"--set {text}: expected path=value, such as --set encoder.depth=4 or --set train.lr.peak=1e-3";
            return null;
        }
        var path = text[..equals].Trim();
        var value = text[(equals + 1)..].Trim();
        if (!PathPattern().IsMatch(path))
        {
            error = $"--set {text}: `{path}` is not a setting's path; write names joined by dots, such as encoder.depth or train.batch";
            return null;
        }
        if (value.Length == 0)
        {
            error = $"--set {text}: no value after `=`; write --set {path}=<value>";
            return null;
        }
        // A bare path or word that is no number, name, call or list is meant as a string: runs/a → "runs/a".
        if (!ExpressionPattern().IsMatch(value) && !value.StartsWith('"'))
            value = "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        return new SettingOverride(path, value);
    }

    /// <summary>Every <c>--set</c> as typed; null (each error written, starting with <paramref name="command"/>) when one
    /// is not <c>path=value</c> or sets a path twice.</summary>
    public static IReadOnlyList<SettingOverride>? ParseAll(IReadOnlyList<string>? texts, string command, TextWriter error)
    {
        var overrides = new List<SettingOverride>();
        var failed = false;
        foreach (var text in texts ?? [])
        {
            if (Parse(text, out var problem) is not { } parsed)
            {
                error.WriteLine($"{command}: {problem}");
                failed = true;
                continue;
            }
            if (overrides.FirstOrDefault(o => o.Path == parsed.Path) is { } earlier)
            {
                error.WriteLine($"{command}: --set {parsed.Text}: `{parsed.Path}` is already set by --set {earlier.Text}; keep one");
                failed = true;
            }
            overrides.Add(parsed);
        }
        return failed ? null : overrides;
    }

    [GeneratedRegex(@"^([-+]?[0-9][0-9_.eE+-]*[A-Za-z]*|[A-Za-z_][A-Za-z0-9_.]*(\(.*\))?|\[.*\])$")]
    private static partial Regex ExpressionPattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex PathPattern();
}
