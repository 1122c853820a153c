namespace AvDsl.Cli.InProcess;

/// <summary>A spec that binds cleanly but whose generated C# does not compile: a bug in the generator, not in the spec.
/// The generated sources are kept for the report.</summary>
public sealed record GeneratedCodeFailure(string SpecPath, string SourcesFolder, IReadOnlyList<string> Errors)
{
    public IEnumerable<string> Lines =>
        [
            $"avdsl: {SpecPath} is a valid spec, but the C# generated from it does not compile; this is a bug in AvDsl.Generator. " +
            $"The generated code is in {SourcesFolder}; please report it with these errors:",
            .. Errors.Select(e => "  " + e),
        ];
}
