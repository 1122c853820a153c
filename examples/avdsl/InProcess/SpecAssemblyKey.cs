using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using AvDsl.Dsl;
using AvDsl.Generator;
using AvDsl.Runtime.Training;
using Microsoft.CodeAnalysis.CSharp;

namespace AvDsl.Cli.InProcess;

/// <summary>Names a compiled spec assembly by everything its bytes depend on: the text of the spec file and of each file
/// it imports, with the paths generated code names them by, and the exact builds of the generator, the parser, the
/// Runtime and the compiler. Builds are deterministic, so a module version id changes exactly when an assembly's content
/// does: a rebuilt avdsl never loads an assembly compiled by the previous one.</summary>
public static class SpecAssemblyKey
{
    // Raised when the way avdsl compiles (options, references) changes in a way the versions above do not show.
    private const string Format = "avdsl-spec-assembly-1";

    public static string Of(IReadOnlyList<SpecSourceFile> files)
    {
        var text = new StringBuilder(Format).Append('\n');
        foreach (var assembly in Tools) text.Append(assembly.GetName().Name).Append(' ').Append(assembly.ManifestModule.ModuleVersionId).Append('\n');
        foreach (var file in files) text.Append(file.RelativePath).Append('\n').Append(file.Text.Length).Append('\n').Append(file.Text).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static IEnumerable<Assembly> Tools =>
    [
        typeof(SpecGenerator).Assembly,
        typeof(SpecCompiler).Assembly,
        typeof(CompiledSpec).Assembly,
        typeof(CSharpCompilation).Assembly,
    ];
}
