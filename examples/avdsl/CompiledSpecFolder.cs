using System.Reflection;

namespace AvDsl.Cli;

/// <summary>The folder the specs compiled into avdsl were read from (the build's AvDslSpecRoot, which their SourcePath is
/// relative to), so that a spec named on the command line is compared with its file as it is now.</summary>
public static class CompiledSpecFolder
{
    public static string? Path { get; } = typeof(CompiledSpecFolder).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "AvDslSpecRoot")?.Value;
}
