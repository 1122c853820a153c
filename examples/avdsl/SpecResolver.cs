using AvDsl.Cli.InProcess;
using AvDsl.Dsl;
using AvDsl.Dsl.Binding;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Runtime.Training;

namespace AvDsl.Cli;

/// <summary>
/// Finds the compiled spec a command means: a spec file, a spec name, or the spec a run directory was trained with.
/// A file (and a name, through the file it was compiled from) is taken as it is now: when no spec compiled into avdsl
/// is that content with those imports, the file is compiled in process, so a run never trains code generated from an
/// older version. Explains on the error writer why nothing was found: the spec's own diagnostics, or the near miss
/// when a name looks like a typo.
/// </summary>
/// <param name="specFolder">The folder the compiled specs' SourcePaths are relative to (<see cref="CompiledSpecFolder"/>);
/// null when their files are not at hand, and names then stand for the specs as compiled.</param>
public sealed class SpecResolver(IReadOnlyList<CompiledSpec> compiled, InProcessSpecs inProcess, TextWriter error, string? specFolder)
{
    /// <summary>The specs compiled into this build.</summary>
    public IReadOnlyList<CompiledSpec> Compiled { get; } = compiled;

    /// <summary>The spec of this name (exactly, else ignoring case) as its file is now; null when there is none or
    /// that file no longer compiles (its errors are written).</summary>
    public CompiledSpec? Named(string name) => CompiledNamed(name) is { } spec ? Current(spec) : null;

    /// <summary>A spec file or a spec name; <paramref name="specName"/> chooses among the specs of a file.</summary>
    public CompiledSpec? Resolve(string reference, string? specName = null)
    {
        if (!File.Exists(reference))
        {
            if (CompiledNamed(reference) is { } byName) return Current(byName);
            error.WriteLine($"avdsl: no spec file or compiled spec named `{reference}`; {NearMissOrList(reference)}");
            return null;
        }

        var all = CompiledFrom(reference);
        if (all is null) return null;
        var matches = specName is null ? all : all.Where(s => s.Name == specName).ToList();
        if (matches.Count == 1) return matches[0];
        if (matches.Count > 1)
        {
            error.WriteLine($"avdsl: {reference} holds several specs ({string.Join(", ", matches.Select(s => s.Name))}); choose one with --spec <name>");
            return null;
        }
        error.WriteLine(all.Count == 0
            ? $"avdsl: {reference} declares no spec or sweep"
            : $"avdsl: {reference} has no spec `{specName}`; {(NearMiss.Find(specName!, all.Select(s => s.Name)) is { } near ? $"did you mean `{near}`?" : $"it holds {string.Join(", ", all.Select(s => s.Name))}")}");
        return null;
    }

    /// <summary>Every compiled spec a reference stands for: all of a file's (a file of sweeps yields each variant), or the one named.</summary>
    public IReadOnlyList<CompiledSpec> ResolveAll(string reference)
    {
        if (!File.Exists(reference)) return Resolve(reference) is { } one ? [one] : [];
        var all = CompiledFrom(reference);
        if (all is { Count: 0 }) error.WriteLine($"avdsl: {reference} declares no spec or sweep");
        return all ?? [];
    }

    /// <summary>The compiled spec a run was trained with: the one whose resolved text is the run's spec.avml; else that
    /// resolved text compiled in process (it is a spec file itself); else the one of the same name (the trainer then
    /// refuses a changed spec by name, and eval warns).</summary>
    /// <param name="command">Starts the error line, e.g. "avdsl eval".</param>
    public CompiledSpec? OfRun(TrainedRun run, string command)
    {
        var exact = Compiled.Concat(inProcess.Loaded).FirstOrDefault(s => s.ResolvedSpec == run.SpecText);
        if (exact is not null) return exact;
        var name = run.SpecName;
        if (name is null)
        {
            error.WriteLine($"{command}: {run.SpecPath} holds no `spec <Name> {{ … }}`; it is not a resolved spec written by `avdsl train`");
            return null;
        }
        var own = inProcess.Build(SpecFiles.Compile(run.SpecPath));
        if (own.Failure is not null)
        {
            foreach (var line in own.Failure.Lines) error.WriteLine(line);
            return null;
        }
        if (own.OwnSpecs.FirstOrDefault(s => s.Name == name) is { } trained) return trained;
        var byName = CompiledNamed(name);
        if (byName is not null) return byName;
        error.WriteLine($"{command}: spec {name} (from {run.SpecPath}) is not compiled into this build and that file does not compile " +
            $"(`avdsl check {run.SpecPath}` shows why); compiled specs: {CompiledNames}");
        return null;
    }

    /// <summary><paramref name="spec"/> with <c>--set</c> overrides: its resolved text with the overrides as its last
    /// statements, bound and compiled in process, so each is checked as the same line in the spec would be. Null (the
    /// errors written, each naming its <c>--set</c>) when one does not bind.</summary>
    /// <param name="command">Starts the error lines, e.g. "avdsl train".</param>
    public CompiledSpec? WithOverrides(CompiledSpec spec, IReadOnlyList<SettingOverride> overrides, string command)
    {
        if (overrides.Count == 0) return spec;
        var text = spec.ResolvedSpec;
        var close = text.LastIndexOf('}');
        if (close < 0)
        {
            error.WriteLine($"{command}: spec {spec.Name}'s resolved text has no closing brace, so --set has nowhere to go");
            return null;
        }
        var head = text[..close];
        if (!head.EndsWith('\n')) head += "\n";
        var firstLine = head.Count(c => c == '\n') + 1;
        var withOverrides = head + string.Concat(overrides.Select(o => $"  {o.Path} = {o.Value}\n")) + text[close..];
        // Beside the spec's own file, so the in-process build names its files as that spec's would.
        var folder = specFolder is not null && File.Exists(Path.Combine(specFolder, spec.SourcePath))
            ? Path.GetDirectoryName(Path.GetFullPath(Path.Combine(specFolder, spec.SourcePath)))!
            : Directory.GetCurrentDirectory();
        var file = SpecCompiler.Compile(Path.Combine(folder, $"{spec.Name}.set.avml"), withOverrides, AvDsl.Specs.SpecCatalog.Components);
        var errors = file.Diagnostics.Where(d => d.IsError).ToList();
        foreach (var diagnostic in errors)
        {
            var index = diagnostic.Line - firstLine;
            if (index >= 0 && index < overrides.Count)
                error.WriteLine($"{command}: --set {overrides[index].Text}: {diagnostic.Message}{(diagnostic.Help is null ? "" : $"; {diagnostic.Help}")}");
            else
                error.WriteLine($"{command}: with --set {string.Join(" ", overrides.Select(o => o.Text))}, spec {spec.Name} no longer binds:\n" +
                                DiagnosticRenderer.Render(diagnostic, file.FileOf(diagnostic)));
        }
        if (errors.Count > 0) return null;
        var build = inProcess.Build(file);
        foreach (var line in build.Failure?.Lines ?? []) error.WriteLine(line);
        return build.Succeeded ? build.OwnSpecs.FirstOrDefault(s => s.Name == spec.Name) : null;
    }

    private string CompiledNames => string.Join(", ", Compiled.Select(s => s.Name));

    private CompiledSpec? CompiledNamed(string name) =>
        Compiled.FirstOrDefault(s => s.Name == name) ?? Compiled.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A compiled spec as the file it was compiled from is now (which the launcher no longer rebuilds avdsl for).</summary>
    private CompiledSpec? Current(CompiledSpec spec)
    {
        var file = specFolder is null ? null : Path.Combine(specFolder, spec.SourcePath);
        if (file is null || !File.Exists(file)) return spec;
        var now = CompiledFrom(file);
        if (now is null) return null;
        var same = now.FirstOrDefault(s => s.Name == spec.Name);
        if (same is null) error.WriteLine($"avdsl: spec {spec.Name} is no longer in {file}; it holds {(now.Count == 0 ? "none" : string.Join(", ", now.Select(s => s.Name)))}");
        return same;
    }

    /// <summary>The specs of a file as it is now: those compiled into this build when they are its content with its
    /// imports as they are now, else the file compiled in process; null (with the reasons written) when it does not compile.</summary>
    private IReadOnlyList<CompiledSpec>? CompiledFrom(string path)
    {
        var file = SpecFiles.Compile(path);
        var hash = SpecSourceHash.Of(file.Source.Text);
        var built = Compiled.Where(s => s.SourceHash == hash).ToList();
        // The same text can still mean something else when a file it imports has changed: compare the resolved specs.
        if (!file.HasErrors && built.Count > 0 && built.Count == file.Specs.Count
            && file.Specs.All(s => built.Any(b => b.Name == s.Name && b.ResolvedSpec == SpecPrinter.Print(s))))
        {
            return built;
        }

        var build = inProcess.Build(file);
        foreach (var diagnostic in file.Diagnostics.Where(d => d.IsError)) error.WriteLine(DiagnosticRenderer.Render(diagnostic, file.FileOf(diagnostic)));
        foreach (var line in build.Failure?.Lines ?? []) error.WriteLine(line);
        return build.Succeeded ? build.OwnSpecs : null;
    }

    // A path is compared with the compiled files (specs/eat-tiny.avml), a name with the spec names.
    private string NearMissOrList(string reference)
    {
        var looksLikePath = reference.Contains('/') || reference.EndsWith(".avml", StringComparison.Ordinal);
        var candidates = looksLikePath ? Compiled.Select(s => s.SourcePath) : Compiled.Select(s => s.Name);
        return NearMiss.Find(reference, candidates) is { } near ? $"did you mean `{near}`?" : $"compiled specs: {CompiledNames}";
    }
}
