using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using AvDsl.Generator;
using AvDsl.Runtime.Training;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace AvDsl.Cli.InProcess;

/// <summary>Does at run time what the build does for specs/: runs <see cref="SpecGenerator"/> over spec files handed to
/// it as AdditionalFiles, then compiles its output against the Runtime this process has loaded, into one assembly.</summary>
public static class SpecAssemblyCompiler
{
    /// <summary>The framework and the Runtime with the assemblies it references, as this process runs them: generated
    /// code binds to exactly the types avdsl casts to.</summary>
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var runtime = typeof(CompiledSpec).Assembly;
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var runtimeReferences = runtime.GetReferencedAssemblies().Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        return ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == framework || runtimeReferences.Contains(Path.GetFileNameWithoutExtension(p)))
            .Append(runtime.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    });

    /// <param name="root">The folder generated code names spec files relative to (AvDslSpecRoot), ending in a slash.</param>
    public static SpecAssemblyImage Compile(string assemblyName, string root, IReadOnlyList<SpecSourceFile> files, CancellationToken cancel = default)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(assemblyName, [GlobalUsings(parse)], References.Value, new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable, deterministic: true));
        var driver = CSharpGeneratorDriver.Create(
            [new SpecGenerator().AsSourceGenerator()],
            files.Select(f => (AdditionalText)new SpecText(f.FullPath, f.Text)),
            parse,
            new SpecRootOptions(root));
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics, cancel);

        using var image = new MemoryStream();
        // The PDB travels inside the assembly: the #line directives in it let a runtime error name its spec line.
        var emitted = generated.Emit(image, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.Embedded), cancellationToken: cancel);
        var errors = generatorDiagnostics.Concat(emitted.Diagnostics).Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        var sources = generated.SyntaxTrees.Where(t => t.FilePath.Length > 0).Select(t => (Path.GetFileName(t.FilePath), t.ToString())).ToList();
        return new SpecAssemblyImage(emitted.Success && errors.Count == 0 ? image.ToArray() : null, errors, sources);
    }

    // avdsl's own build compiles generated code with the SDK's implicit usings; so does this compilation.
    private static SyntaxTree GlobalUsings(CSharpParseOptions parse) => CSharpSyntaxTree.ParseText(SourceText.From(
        """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        """, Encoding.UTF8), parse, path: "GlobalUsings.cs");

    /// <summary>A spec file handed to the generator as an AdditionalFile.</summary>
    private sealed class SpecText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    /// <summary>The one build property the generator reads: <c>AvDslSpecRoot</c>.</summary>
    private sealed class SpecRootOptions(string root) : AnalyzerConfigOptionsProvider
    {
        private static readonly AnalyzerConfigOptions None = new Options(ImmutableDictionary<string, string>.Empty);

        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(ImmutableDictionary<string, string>.Empty.Add("build_property.AvDslSpecRoot", root));

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => None;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => None;
    }

    private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
