using AvDsl.Runtime.Torch;
using Xunit;
using F = AvDsl.Runtime.Torch.Functional;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

public sealed class TensorOpsTests
{
    [Fact]
    public void Every_aten_operator_the_runtime_uses_resolves_against_this_libtorch()
    {
        var failures = new List<string>();
        foreach (var op in Aten.All)
        {
            try { _ = op.Handle; }
            catch (TorchException e) { failures.Add($"{op.QualifiedName}: {e.Message}"); }
        }
        Assert.Empty(failures);
    }

    [Fact]
    public void Matmul_of_small_literal_matrices_matches_hand_computation()
    {
        using var scope = new TensorScope();
        var a = T.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var b = T.FromArray(new float[] { 7, 8, 9, 10, 11, 12 }, 3, 2);
        var c = a.Matmul(b);
        Assert.Equal(new long[] { 2, 2 }, c.Shape);
        // [1 2 3; 4 5 6] x [7 8; 9 10; 11 12] = [58 64; 139 154]
        Assert.Equal(new float[] { 58, 64, 139, 154 }, c.ToArray<float>());
    }

    [Fact]
    public void Linear_computes_x_times_w_transposed_plus_bias()
    {
        using var scope = new TensorScope();
        var x = T.FromArray(new double[] { 1, -1, 2 }, 1, 3);
        var w = T.FromArray(new double[] { 1, 0, 2, -1, 3, 0.5 }, 2, 3);
        var b = T.FromArray(new double[] { 0.5, -2 });
        // row 0: 1 - 0 + 4 + 0.5 = 5.5; row 1: -1 - 3 + 1 - 2 = -5
        Assert.Equal(new[] { 5.5, -5.0 }, F.Linear(x, w, b).ToArray<double>());
    }

    [Fact]
    public void LayerNorm_matches_its_closed_form()
    {
        using var scope = new TensorScope();
        double[] values = [1, 2, 4, 9];
        var mean = values.Average();
        var variance = values.Select(v => (v - mean) * (v - mean)).Average(); // biased, as layer norm uses
        var expected = values.Select((v, i) => (v - mean) / Math.Sqrt(variance + 1e-5) * (i + 1) + 0.25).ToArray();
        var x = T.FromArray(values, 1, 4);
        var weight = T.FromArray(new double[] { 1, 2, 3, 4 });
        var bias = T.Full([4], 0.25, DType.Float64);
        var y = F.LayerNorm(x, [4], weight, bias, 1e-5).ToArray<double>();
        for (var i = 0; i < 4; i++)
            Assert.Equal(expected[i], y[i], 12);
    }

    [Fact]
    public void Operators_with_scalars_work_on_both_sides()
    {
        using var scope = new TensorScope();
        var x = T.FromArray(new float[] { 1, 2, 4 });
        Assert.Equal(new float[] { 3, 4, 6 }, (x + 2).ToArray<float>());
        Assert.Equal(new float[] { 3, 4, 6 }, (2 + x).ToArray<float>());
        Assert.Equal(new float[] { -1, 0, 2 }, (x - 2).ToArray<float>());
        Assert.Equal(new float[] { 1, 0, -2 }, (2 - x).ToArray<float>());
        Assert.Equal(new float[] { 3, 6, 12 }, (3 * x).ToArray<float>());
        Assert.Equal(new float[] { 0.5f, 1, 2 }, (x / 2).ToArray<float>());
        Assert.Equal(new float[] { 4, 2, 1 }, (4 / x).ToArray<float>());
        Assert.Equal(new float[] { -1, -2, -4 }, (-x).ToArray<float>());
        Assert.Equal(new float[] { 2, 4, 8 }, (x + x).ToArray<float>());
        Assert.Equal(new float[] { 1, 4, 16 }, (x * x).ToArray<float>());
    }

    [Fact]
    public void Bool_mask_indexer_selects_along_leading_dims_like_pytorch()
    {
        using var scope = new TensorScope();
        var x = T.Arange(0, 12).Reshape(2, 3, 2);                             // [B=2, N=3, D=2]
        var mask = T.FromArray(new[] { true, false, true, false, true, false }, 2, 3);
        var picked = x[mask];
        Assert.Equal(new long[] { 3, 2 }, picked.Shape);
        Assert.Equal(new long[] { 0, 1, 4, 5, 8, 9 }, picked.ToArray<long>());
    }

    [Fact]
    public void Views_reductions_and_indexing_give_pytorch_results()
    {
        using var scope = new TensorScope();
        var x = T.Arange(0.0, 6.0, 1.0, DType.Float64).Reshape(2, 3);
        Assert.Equal(new long[] { 3, 2 }, x.Transpose(0, 1).Shape);
        Assert.Equal(new[] { 3.0, 12.0 }, x.Sum(1).ToArray<double>());
        Assert.Equal(new[] { 1.5, 2.5, 3.5 }, x.Mean(0).ToArray<double>());
        Assert.Equal(15.0, x.Sum().Item<double>());
        Assert.Equal(new[] { 1.0, 1.0 }, x.Var(1).ToArray<double>());          // unbiased
        Assert.Equal(new long[] { 1, 2, 3 }, x.Unsqueeze(0).Shape);
        Assert.Equal(new[] { 1.0, 2.0, 4.0, 5.0 }, x.Narrow(1, 1, 2).ToArray<double>());
        Assert.Equal(new[] { 3.0, 4.0, 5.0 }, x[1].ToArray<double>());
        var index = T.FromArray(new long[] { 2, 0, 1, 1 }, 2, 2);
        Assert.Equal(new[] { 2.0, 0.0, 4.0, 4.0 }, x.Gather(1, index).ToArray<double>());
        Assert.Equal(new long[] { 1, 0, 2 }, T.FromArray(new float[] { 0.2f, 0.9f, 0.1f }).Argsort(descending: true).ToArray<long>());
        var softmax = T.FromArray(new double[] { 0, Math.Log(3) }).Softmax(0).ToArray<double>();
        Assert.Equal(0.25, softmax[0], 12);
        Assert.Equal(new long[] { 4, 3 }, T.Cat([x, x], 0).Shape);
        Assert.Equal(new long[] { 2, 2, 3 }, T.Stack([x, x], 0).Shape);
        Assert.Equal(new[] { 0.0, -1.0, -1.0, 3.0, 4.0, 5.0 },
            x.MaskedFill(x.Gt(0).LogicalNot().LogicalNot() * x.Lt(3), -1).ToArray<double>());
    }

    [Fact]
    public void Item_and_ToArray_convert_between_dtypes()
    {
        using var scope = new TensorScope();
        var x = T.FromArray(new long[] { 1, 2, 3 });
        Assert.Equal(DType.Int64, x.DType);
        Assert.Equal(new[] { 1.0, 2.0, 3.0 }, x.ToArray<double>());
        Assert.Equal(6f, x.Sum().Item<float>());
        Assert.Equal(DType.Float64, x.To(DType.Float64).DType);
        Assert.Contains("Int64[3]", x.ToString());
    }

    [Fact]
    public void Seeded_random_numbers_repeat_and_rng_state_round_trips()
    {
        using var scope = new TensorScope();
        T.ManualSeed(123);
        var a = T.Randn(5).ToArray<float>();
        T.ManualSeed(123);
        Assert.Equal(a, T.Randn(5).ToArray<float>());
        var state = T.GetRngState();
        var b = T.Rand(4).ToArray<float>();
        T.SetRngState(state);
        Assert.Equal(b, T.Rand(4).ToArray<float>());
    }

    [Fact]
    public void Thread_count_is_set_at_load_and_can_be_changed()
    {
        var expected = int.TryParse(Environment.GetEnvironmentVariable("AVDSL_THREADS"), out var n) ? n : Environment.ProcessorCount;
        Assert.Equal(expected, T.GetNumThreads());
        T.SetNumThreads(1);
        Assert.Equal(1, T.GetNumThreads());
        T.SetNumThreads(expected);
        Assert.Matches(@"^\d+\.\d+\.\d+", T.Version);
    }

    [Fact]
    public void NoGrad_scope_stops_recording_and_restores_the_mode()
    {
        using var scope = new TensorScope();
        var w = T.Ones(2);
        w.RequiresGrad = true;
        Assert.True(T.IsGradEnabled);
        using (T.NoGrad())
        {
            Assert.False(T.IsGradEnabled);
            Assert.False((w * 2).RequiresGrad);
        }
        Assert.True(T.IsGradEnabled);
        Assert.True((w * 2).RequiresGrad);
    }

    [Fact]
    public void Backward_fills_grad_of_leaves()
    {
        using var scope = new TensorScope();
        var w = T.FromArray(new double[] { 1, 2, 3 });
        w.RequiresGrad = true;
        (w * w).Sum().Backward();
        Assert.Equal(new[] { 2.0, 4.0, 6.0 }, w.Grad!.ToArray<double>());
        w.ZeroGrad();
        Assert.Null(w.Grad);
    }

    [Fact]
    public void Scatter_index_select_masked_select_unbind_and_chunk()
    {
        using var scope = new TensorScope();
        var x = T.Arange(0.0, 6.0, 1.0).Reshape(2, 3);                       // [[0 1 2] [3 4 5]]
        var index = T.FromArray(new long[] { 2, 0 }, 2, 1);
        var scattered = T.Zeros(2, 3).Scatter(1, index, T.Full([2, 1], 7));
        Assert.Equal(new float[] { 0, 0, 7, 7, 0, 0 }, scattered.ToArray<float>());
        Assert.Equal(new float[] { 2, 0, 5, 3 }, x.IndexSelect(1, T.FromArray(new long[] { 2, 0 })).ToArray<float>());
        Assert.Equal(new float[] { 4, 5 }, x.MaskedSelect(x.Gt(3.5)).ToArray<float>());
        var rows = x.Unbind(0);
        Assert.Equal(2, rows.Length);
        Assert.Equal(new float[] { 3, 4, 5 }, rows[1].ToArray<float>());
        var columns = x.Chunk(3, 1);
        Assert.Equal(3, columns.Length);
        Assert.Equal(new float[] { 1, 4 }, columns[1].ToArray<float>());
        Assert.Equal(new float[] { 1, 2, 4, 5 }, x.Slice(1, 1).ToArray<float>());
        Assert.Equal(new float[] { 0, 2, 3, 5 }, x.Slice(1, 0, null, 2).ToArray<float>());
    }

    [Fact]
    public void Conv2d_matches_hand_computation()
    {
        using var scope = new TensorScope();
        var image = T.Arange(1.0, 10.0, 1.0).Reshape(1, 1, 3, 3);            // [[1 2 3] [4 5 6] [7 8 9]]
        var kernel = T.Ones(1, 1, 2, 2);
        Assert.Equal(new float[] { 12, 16, 24, 28 }, F.Conv2d(image, kernel).ToArray<float>());
        // stride 2, padding 1: windows centred on the corners
        Assert.Equal(new float[] { 1, 5, 11, 28 }, F.Conv2d(image, kernel, stride: 2, padding: 1).ToArray<float>());
    }

    [Fact]
    public void Dropout_zeroes_and_rescales_only_in_training()
    {
        using var scope = new TensorScope();
        T.ManualSeed(5);
        var x = T.Ones(1000);
        Assert.Equal(x.ToArray<float>(), F.Dropout(x, 0.5, training: false).ToArray<float>());
        var dropped = F.Dropout(x, 0.5, training: true).ToArray<float>();
        Assert.All(dropped, v => Assert.True(v == 0f || v == 2f));
        Assert.InRange(dropped.Count(v => v == 0f), 400, 600);
    }
}
