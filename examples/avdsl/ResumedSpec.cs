using System.Text.RegularExpressions;
using AvDsl.Runtime.Training;
using AvDsl.Specs;

namespace AvDsl.Cli;

/// <summary>The compiled spec a run directory was trained with, for <c>avdsl train --resume &lt;run-dir&gt;</c> without a spec:
/// the one whose resolved text is the run's spec.avml, else the one of the same name (which the trainer then refuses by name).</summary>
public static partial class ResumedSpec
{
    public static CompiledSpec? Find(string runDirectory, TextWriter error)
    {
        var specPath = Path.Combine(runDirectory, Trainer.SpecFileName);
        if (!File.Exists(specPath))
        {
            error.WriteLine($"avdsl train: '{Path.GetFullPath(runDirectory)}' holds no {Trainer.SpecFileName}, so it is not a run directory that can be resumed");
            return null;
        }
        var text = File.ReadAllText(specPath);
        var exact = CompiledSpecs.All.FirstOrDefault(s => s.ResolvedSpec == text);
        if (exact is not null) return exact;
        var name = SpecName().Match(text) is { Success: true } match ? match.Groups[1].Value : null;
        var byName = CompiledSpecs.All.FirstOrDefault(s => s.Name == name);
        if (byName is not null) return byName;
        error.WriteLine($"avdsl train: no compiled spec matches '{Path.GetFullPath(specPath)}'{(name is null ? "" : $" (spec {name})")}; compiled specs: {string.Join(", ", CompiledSpecs.All.Select(s => s.Name))}");
        return null;
    }

    [GeneratedRegex(@"^\s*spec\s+([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.Multiline)]
    private static partial Regex SpecName();
}
