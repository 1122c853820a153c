using AvDsl.Dsl;
using AvDsl.Runtime.Training;

namespace AvDsl.Cli.InProcess;

/// <summary>What compiling a spec file in process gave: the file as the binder read it (its diagnostics), the specs of
/// the loaded assembly (an imported file's specs are compiled with it, as in the build), or why the generated C# failed.</summary>
public sealed record InProcessBuild(SpecFile File, IReadOnlyList<CompiledSpec> Specs, GeneratedCodeFailure? Failure)
{
    public bool Succeeded => !File.HasErrors && Failure is null;

    /// <summary>The specs and sweep variants the file itself declares.</summary>
    public IReadOnlyList<CompiledSpec> OwnSpecs => Specs.Where(s => s.SourceHash == SpecSourceHash.Of(File.Source.Text)).ToList();
}
