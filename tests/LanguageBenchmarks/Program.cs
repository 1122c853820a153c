using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using AvDsl.Dsl;
using AvDsl.Dsl.Parsing;
using AvDsl.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

// Language benchmarks, measured side by side in one run:
//  1. parse time of a spec file and of one ten times larger (goal: at most 12x longer);
//  2. generation of 50 specs through the incremental generator, cold and after editing one spec.
// Run: dotnet run -c Release --project tests/LanguageBenchmarks
var root = FindRoot();
var seed = File.ReadAllText(Path.Combine(root, "specs", "tiny-mae.avml"));

Console.WriteLine("== parse time against size ==");
string Specs(int count)
{
    var text = new StringBuilder();
    for (var i = 0; i < count; i++) text.Append(seed.Replace("spec TinyMae", $"spec TinyMae{i}")).Append('\n');
    return text.ToString();
}
double Median(Func<double> measure, int runs)
{
    var times = Enumerable.Range(0, runs).Select(_ => measure()).OrderBy(t => t).ToList();
    return times[runs / 2];
}
double ParseMs(string text) => Median(() =>
{
    var clock = Stopwatch.StartNew();
    var syntax = SpecParser.Parse("bench.avml", text);
    if (syntax.Diagnostics.Count > 0) throw new InvalidOperationException("benchmark spec has errors");
    return clock.Elapsed.TotalMilliseconds;
}, 5);
ParseMs(Specs(50)); // warm-up: JIT
var small = Specs(200);
var large = Specs(2000);
var smallMs = ParseMs(small);
var largeMs = ParseMs(large);
Console.WriteLine($"{small.Length / 1e6:F1} MB: {smallMs:F0} ms   {large.Length / 1e6:F1} MB: {largeMs:F0} ms   ratio {largeMs / smallMs:F2} for 10x the text (goal <= 12)");

Console.WriteLine("== generation of 50 specs ==");
var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
    .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll")
    .Append(typeof(AvDsl.Runtime.ComponentAttribute).Assembly.Location)
    .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
var compilation = CSharpCompilation.Create("Bench", Array.Empty<SyntaxTree>(), references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
var files = Enumerable.Range(0, 50).Select(i => (AdditionalText)new Avml($"specs/s{i}.avml", seed.Replace("spec TinyMae", $"spec Spec{i}"))).ToImmutableArray();

double Cold() => Median(() =>
{
    var driver = CSharpGeneratorDriver.Create(new[] { new SpecGenerator().AsSourceGenerator() }, files);
    var clock = Stopwatch.StartNew();
    driver.RunGenerators(compilation);
    return clock.Elapsed.TotalMilliseconds;
}, 5);
double Edit() => Median(() =>
{
    GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new SpecGenerator().AsSourceGenerator() }, files);
    driver = driver.RunGenerators(compilation);
    var edited = new Avml("specs/s7.avml", seed.Replace("spec TinyMae", "spec Spec7").Replace("depth: 2,", "depth: 3,"));
    driver = driver.ReplaceAdditionalText(files[7], edited);
    var clock = Stopwatch.StartNew();
    driver.RunGenerators(compilation);
    return clock.Elapsed.TotalMilliseconds;
}, 5);
Cold();
Console.WriteLine($"cold: {Cold():F0} ms   after editing one spec: {Edit():F0} ms");

static string FindRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AvDsl.sln"))) directory = directory.Parent;
    return directory!.FullName;
}

sealed class Avml(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;
    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
}
