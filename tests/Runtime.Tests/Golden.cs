using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;

namespace AvDsl.Runtime.Tests;

/// <summary>A committed golden file (Goldens/*.safetensors, made by the make_*goldens.py scripts beside it with PyTorch 1.13.1).</summary>
internal sealed class Golden : IDisposable
{
    private readonly SafeTensorsFile _file;

    public Golden(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Goldens", name + ".safetensors");
        Assert.True(File.Exists(path), $"golden file {path} is missing; run Goldens/make_goldens.py");
        _file = SafeTensors.Read(path);
    }

    public Tensor this[string key] => _file.Tensors.TryGetValue(key, out var t) ? t : throw new KeyNotFoundException($"golden has no '{key}'");

    public IReadOnlyDictionary<string, string> Metadata => _file.Metadata;

    /// <summary>The tensors that are not inputs, outputs, probes or gradients: a state dict for a module.</summary>
    public Dictionary<string, Tensor> Parameters(params string[] exclude) =>
        _file.Tensors.Where(kv => !kv.Key.StartsWith("grad.", StringComparison.Ordinal) && !exclude.Contains(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>Asserts |actual - expected| ≤ atol + rtol·|expected| everywhere, naming the worst element.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, string what, double atol = 1e-5, double rtol = 1e-4)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        var worst = -1;
        var worstExcess = 0.0;
        for (var i = 0; i < e.Length; i++)
        {
            var excess = Math.Abs(a[i] - e[i]) - (atol + rtol * Math.Abs(e[i]));
            if (excess > worstExcess || double.IsNaN(a[i]))
            {
                worstExcess = double.IsNaN(a[i]) ? double.PositiveInfinity : excess;
                worst = i;
            }
        }
        Assert.True(worst < 0, worst < 0 ? "" : $"{what}[{worst}]: AvDsl {a[worst]:R} vs PyTorch {e[worst]:R}");
    }

    /// <summary>
    /// Runs a committed golden script (Goldens/<paramref name="script"/>) into a temporary folder and asserts that it
    /// writes the committed files <paramref name="names"/> again: same keys, dtypes and values (to 1e-6).
    /// </summary>
    public static void AssertScriptRemakes(string script, params string[] names)
    {
        var directory = Directory.CreateTempSubdirectory("avdsl-goldens-").FullName;
        try
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Goldens", script);
            var (code, _, stderr) = PythonWithTorch.Run(PythonWithTorch.Interpreter!, ["-B", path, directory], TimeSpan.FromMinutes(2));
            Assert.True(code == 0, $"{script} failed ({code}): {stderr}");
            foreach (var name in names)
            {
                using var committed = SafeTensors.Read(Path.Combine(AppContext.BaseDirectory, "Goldens", name + ".safetensors"));
                using var remade = SafeTensors.Read(Path.Combine(directory, name + ".safetensors"));
                using var scope = new TensorScope();
                Assert.Equal(committed.Tensors.Keys, remade.Tensors.Keys);
                foreach (var (key, tensor) in remade.Tensors)
                {
                    Assert.Equal(committed.Tensors[key].DType, tensor.DType);
                    AssertClose(committed.Tensors[key], tensor, $"{name}:{key}", atol: 1e-6, rtol: 1e-6);
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public void Dispose() => _file.Dispose();
}
