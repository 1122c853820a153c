using System.Security.Cryptography;
using System.Text;
using AvDsl.Dsl;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Runtime.Training;
using AvDsl.Specs;

namespace AvDsl.Cli;

/// <summary>Finds the compiled spec a command names: by spec name, or by a file whose content matches a compiled
/// spec exactly (so a run never trains code generated from an older version of the file).</summary>
public static class SpecLookup
{
    public static CompiledSpec? Find(string reference, string? specName, TextWriter error)
    {
        if (!File.Exists(reference))
        {
            var byName = CompiledSpecs.All.FirstOrDefault(s => string.Equals(s.Name, reference, StringComparison.OrdinalIgnoreCase));
            if (byName is not null) return byName;
            error.WriteLine($"avdsl: no spec file or compiled spec named `{reference}`; compiled specs: {string.Join(", ", CompiledSpecs.All.Select(s => s.Name))}");
            return null;
        }

        var text = File.ReadAllText(reference);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
        var matches = CompiledSpecs.All.Where(s => s.SourceHash == hash).ToList();
        if (specName is not null) matches = matches.Where(s => s.Name == specName).ToList();
        if (matches.Count == 1) return matches[0];
        if (matches.Count > 1)
        {
            error.WriteLine($"avdsl: {reference} holds several specs ({string.Join(", ", matches.Select(s => s.Name))}); choose one with --spec <name>");
            return null;
        }

        // Not compiled as it is now: show its errors if it has any, else say why it is not in this build.
        var file = SpecFiles.Compile(reference);
        if (file.HasErrors)
        {
            foreach (var diagnostic in file.Diagnostics) error.WriteLine(DiagnosticRenderer.Render(diagnostic, file.FileOf(diagnostic)));
            return null;
        }
        // Compiled paths are relative to the repository; a file of the same name under specs/ is the one compiled.
        var stale = CompiledSpecs.All.Any(s => Path.GetFileName(s.SourcePath) == Path.GetFileName(reference));
        error.WriteLine(stale
            ? $"avdsl: {reference} changed since avdsl was built; run it through the ./avdsl launcher, which rebuilds when specs change"
            : $"avdsl: {reference} is not compiled into avdsl; specs are compiled from the specs/ folder, so put it there and run ./avdsl again");
        return null;
    }
}
