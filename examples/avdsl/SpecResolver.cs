using AvDsl.Dsl.Binding;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Runtime.Training;

namespace AvDsl.Cli;

/// <summary>
/// Finds the compiled spec a command means: a spec file (matched by content, so a run never trains code generated from
/// an older version of the file), a spec name, or the spec a run directory was trained with. Explains on the error
/// writer why nothing was found, with the near miss when the name looks like a typo.
/// </summary>
public sealed class SpecResolver(IReadOnlyList<CompiledSpec> compiled, TextWriter error)
{
    public IReadOnlyList<CompiledSpec> Compiled { get; } = compiled;

    /// <summary>The compiled spec of this name: exactly, else ignoring case; null when there is none.</summary>
    public CompiledSpec? Named(string name) =>
        Compiled.FirstOrDefault(s => s.Name == name) ?? Compiled.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A spec file or a spec name; <paramref name="specName"/> chooses among the specs of a file.</summary>
    public CompiledSpec? Resolve(string reference, string? specName = null)
    {
        if (!File.Exists(reference))
        {
            if (Named(reference) is { } byName) return byName;
            error.WriteLine($"avdsl: no spec file or compiled spec named `{reference}`; {NearMissOrList(reference)}");
            return null;
        }

        var matches = CompiledFrom(reference);
        if (specName is not null) matches = matches.Where(s => s.Name == specName).ToList();
        if (matches.Count == 1) return matches[0];
        if (matches.Count > 1)
        {
            error.WriteLine($"avdsl: {reference} holds several specs ({string.Join(", ", matches.Select(s => s.Name))}); choose one with --spec <name>");
            return null;
        }
        ExplainNotCompiled(reference);
        return null;
    }

    /// <summary>Every compiled spec a reference stands for: all of a file's (a file of sweeps yields each variant), or the one named.</summary>
    public IReadOnlyList<CompiledSpec> ResolveAll(string reference)
    {
        if (File.Exists(reference) && CompiledFrom(reference) is { Count: > 0 } all) return all;
        return Resolve(reference) is { } one ? [one] : [];
    }

    /// <summary>The compiled spec a run was trained with: the one whose resolved text is the run's spec.avml, else the
    /// one of the same name (the trainer then refuses a changed spec by name, and eval warns).</summary>
    /// <param name="command">Starts the error line, e.g. "avdsl eval".</param>
    public CompiledSpec? OfRun(TrainedRun run, string command)
    {
        var exact = Compiled.FirstOrDefault(s => s.ResolvedSpec == run.SpecText);
        if (exact is not null) return exact;
        var name = run.SpecName;
        if (name is null)
        {
            error.WriteLine($"{command}: {run.SpecPath} holds no `spec <Name> {{ … }}`; it is not a resolved spec written by `avdsl train`");
            return null;
        }
        var byName = Compiled.FirstOrDefault(s => s.Name == name);
        if (byName is not null) return byName;
        error.WriteLine($"{command}: spec {name} (from {run.SpecPath}) is not compiled into this build; compiled specs: {CompiledNames}");
        return null;
    }

    private string CompiledNames => string.Join(", ", Compiled.Select(s => s.Name));

    private List<CompiledSpec> CompiledFrom(string path)
    {
        var hash = AvDsl.Dsl.SpecSourceHash.Of(File.ReadAllText(path));
        return Compiled.Where(s => s.SourceHash == hash).ToList();
    }

    // A path is compared with the compiled files (specs/eat-tiny.avml), a name with the spec names.
    private string NearMissOrList(string reference)
    {
        var looksLikePath = reference.Contains('/') || reference.EndsWith(".avml", StringComparison.Ordinal);
        var candidates = looksLikePath ? Compiled.Select(s => s.SourcePath) : Compiled.Select(s => s.Name);
        return NearMiss.Find(reference, candidates) is { } near ? $"did you mean `{near}`?" : $"compiled specs: {CompiledNames}";
    }

    // Not compiled as it is now: show its errors if it has any, else say why it is not in this build.
    private void ExplainNotCompiled(string path)
    {
        var file = SpecFiles.Compile(path);
        if (file.HasErrors)
        {
            foreach (var diagnostic in file.Diagnostics) error.WriteLine(DiagnosticRenderer.Render(diagnostic, file.FileOf(diagnostic)));
            return;
        }
        // Compiled paths are relative to the repository; a file of the same name under specs/ is the one compiled.
        var stale = Compiled.Any(s => Path.GetFileName(s.SourcePath) == Path.GetFileName(path));
        error.WriteLine(stale
            ? $"avdsl: {path} changed since avdsl was built; run it through the ./avdsl launcher, which rebuilds when specs change"
            : $"avdsl: {path} is not compiled into avdsl; specs are compiled from the specs/ folder, so put it there and run ./avdsl again");
    }
}
