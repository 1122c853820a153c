using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Xunit;

namespace AvDsl.Runtime.Tests;

/// <summary>
/// The Runtime's layers point one way — Torch ← Nn ← Masking/Objectives/Selection/Diffusion/Distributed ← Training ← Telemetry — and
/// only Torch/ calls the native shim. Read from the sources, so a new upward <c>using</c> or a stray
/// <c>Aten.</c> call fails here rather than in review.
/// </summary>
public sealed partial class LayeringTests
{
    private static readonly Dictionary<string, int> Rank = new()
    {
        ["Torch"] = 0, ["Nn"] = 1, ["Masking"] = 2, ["Objectives"] = 2, ["Selection"] = 2, ["Diffusion"] = 2, ["Distributed"] = 2, ["Training"] = 3, ["Telemetry"] = 4,
    };

    [Fact]
    public void No_layer_refers_to_a_layer_above_it()
    {
        var upward = new List<string>();
        foreach (var (file, layer) in LayerFiles())
            foreach (Match match in RuntimeNamespace().Matches(WithoutComments(File.ReadAllText(file))))
                if (Rank.TryGetValue(match.Groups[1].Value, out var target) && target > Rank[layer])
                    upward.Add($"{Path.GetRelativePath(RuntimeRoot(), file)} ({layer}) uses {match.Groups[1].Value}");
        Assert.Empty(upward.Distinct());
    }

    [Fact]
    public void Only_Torch_calls_the_native_ops()
    {
        var calls = Directory.EnumerateFiles(RuntimeRoot(), "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsUnder(f, "Torch") && !IsUnder(f, "obj") && !IsUnder(f, "bin"))
            .Where(f => NativeCall().IsMatch(WithoutComments(File.ReadAllText(f))))
            .Select(f => Path.GetRelativePath(RuntimeRoot(), f));
        Assert.Empty(calls);
    }

    [Fact]
    public void The_checks_see_the_layers_they_check()
    {
        // Guards the two tests above against passing vacuously (a moved folder, a wrong root).
        var layers = LayerFiles().Select(f => f.Layer).ToHashSet();
        Assert.Superset(new HashSet<string> { "Torch", "Nn", "Masking", "Objectives", "Training", "Telemetry" }, layers);
        Assert.Matches(NativeCall(), "Aten.Alias.Call(x)");
        Assert.Matches(RuntimeNamespace(), "using AvDsl.Runtime.Masking;");
    }

    private static IEnumerable<(string File, string Layer)> LayerFiles() =>
        Rank.Keys
            .Where(layer => Directory.Exists(Path.Combine(RuntimeRoot(), layer)))
            .SelectMany(layer => Directory.EnumerateFiles(Path.Combine(RuntimeRoot(), layer), "*.cs", SearchOption.AllDirectories).Select(f => (f, layer)));

    private static bool IsUnder(string file, string folder) =>
        Path.GetRelativePath(RuntimeRoot(), file).Split(Path.DirectorySeparatorChar)[0] == folder;

    private static string RuntimeRoot([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "Runtime"));

    private static string WithoutComments(string source) => Comment().Replace(source, "");

    [GeneratedRegex(@"AvDsl\.Runtime\.(\w+)")]
    private static partial Regex RuntimeNamespace();

    [GeneratedRegex(@"\b(Aten|NativeMethods)\.\w+")]
    private static partial Regex NativeCall();

    [GeneratedRegex(@"//.*$", RegexOptions.Multiline)]
    private static partial Regex Comment();
}
