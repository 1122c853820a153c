using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>
/// Compares autograd's gradient of Σ f(inputs)·probe (a fixed random probe makes any output shape a scalar)
/// with central finite differences, element by element, in float64.
/// </summary>
internal static class GradCheck
{
    /// <summary>A named float64 leaf of standard-normal values that requires a gradient.</summary>
    public static Tensor Input(string name, params long[] shape)
    {
        var x = Torch.Torch.Randn(shape, DType.Float64);
        x.RequiresGrad = true;
        x.Name = name;
        return x;
    }

    public static void Check(Func<Tensor> f, IReadOnlyList<Tensor> inputs, double step = 1e-6, double tolerance = 1e-6)
    {
        using var scope = new TensorScope();
        var output = f();
        Assert.Equal(DType.Float64, output.DType);
        var probe = T.RandnLike(output);
        foreach (var input in inputs)
            input.ZeroGrad();
        (output * probe).Sum().Backward();

        var checkedElements = 0;
        foreach (var input in inputs)
        {
            var analytic = input.Grad?.ToArray<double>() ?? new double[input.NumElements];
            var values = input.ToArray<double>();
            var shape = input.Shape;
            for (var j = 0; j < values.Length; j++)
            {
                var original = values[j];
                values[j] = original + step;
                var plus = Evaluate(f, probe, input, values, shape);
                values[j] = original - step;
                var minus = Evaluate(f, probe, input, values, shape);
                values[j] = original;
                var numeric = (plus - minus) / (2 * step);
                var scale = Math.Max(1.0, Math.Max(Math.Abs(numeric), Math.Abs(analytic[j])));
                Assert.True(Math.Abs(numeric - analytic[j]) <= tolerance * scale,
                    $"{input.Name ?? "input"}[{j}]: autograd {analytic[j]:R} vs finite difference {numeric:R}");
                checkedElements++;
            }
            using var restore = new TensorScope();
            input.CopyFrom(T.FromArray(values, shape));
        }
        Assert.True(checkedElements > 0);
    }

    private static double Evaluate(Func<Tensor> f, Tensor probe, Tensor input, double[] values, long[] shape)
    {
        using var scope = new TensorScope();
        using var noGrad = T.NoGrad();
        input.CopyFrom(T.FromArray(values, shape));
        return (f() * probe).Sum().Item<double>();
    }
}
