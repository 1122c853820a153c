using AvDsl.Dsl;
using AvDsl.Specs;

namespace AvDsl.Cli;

/// <summary>Compiles a spec file from disk against the catalog the generator emitted, reading its imports from disk.</summary>
public static class SpecFiles
{
    public static SpecFile Compile(string path) =>
        SpecCompiler.Compile(path, File.ReadAllText(path), SpecCatalog.Components, Read);

    /// <summary>Text that is not on disk (a probe, a command line's overrides), with imports read from disk relative to <paramref name="path"/>.</summary>
    public static SpecFile CompileText(string path, string text) =>
        SpecCompiler.Compile(path, text, SpecCatalog.Components, Read);

    private static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
