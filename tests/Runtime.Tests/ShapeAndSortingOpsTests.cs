using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

public sealed class ShapeAndSortingOpsTests
{
    [Fact]
    public void Split_by_size_and_by_sizes_gives_views_of_the_pieces()
    {
        using var scope = new TensorScope();
        var x = T.Arange(7).To(DType.Float32);
        var pieces = x.Split(3);
        Assert.Equal(3, pieces.Length);
        Assert.Equal(new float[] { 0, 1, 2 }, pieces[0].ToArray<float>());
        Assert.Equal(new float[] { 6 }, pieces[2].ToArray<float>());
        var sized = x.Split([2L, 5L]);
        Assert.Equal(new float[] { 2, 3, 4, 5, 6 }, sized[1].ToArray<float>());
        Assert.Throws<TorchException>(() => x.Split([2L, 2L]));
    }

    [Fact]
    public void Repeat_interleave_repeats_each_element_in_place()
    {
        using var scope = new TensorScope();
        var x = T.FromArray(new long[] { 1, 2, 3, 4 }, 2, 2);
        Assert.Equal(new long[] { 1, 2, 1, 2, 3, 4, 3, 4 }, x.RepeatInterleave(2, dim: 0).ToArray<long>());
        Assert.Equal(new long[] { 1, 1, 2, 2, 3, 3, 4, 4 }, x.RepeatInterleave(2).ToArray<long>());
        Assert.Equal(new long[] { 1, 2, 3, 4, 3, 4, 3, 4 }, x.RepeatInterleave(T.FromArray(new long[] { 1, 3 }), dim: 0).ToArray<long>());
    }

    [Fact]
    public void Topk_and_sort_return_values_and_indices()
    {
        using var scope = new TensorScope();
        var x = T.FromArray(new float[] { 3, 1, 4, 1.5f, 9, 2 }, 2, 3);
        var (values, indices) = x.Topk(2, dim: 1);
        Assert.Equal(new float[] { 4, 3, 9, 2 }, values.ToArray<float>());
        Assert.Equal(new long[] { 2, 0, 1, 2 }, indices.ToArray<long>());
        var (smallest, _) = x.Topk(1, dim: 1, largest: false);
        Assert.Equal(new float[] { 1, 1.5f }, smallest.ToArray<float>());
        var (sorted, order) = x.Sort(dim: 1, descending: true);
        Assert.Equal(new float[] { 4, 3, 1, 9, 2, 1.5f }, sorted.ToArray<float>());
        Assert.Equal(new long[] { 2, 0, 1, 1, 2, 0 }, order.ToArray<long>());
    }

    [Fact]
    public void Cumsum_and_logsumexp_match_hand_computation()
    {
        using var scope = new TensorScope();
        var x = T.FromArray(new double[] { 1, 2, 3, 1000, 1000, 0 }, 2, 3);
        Assert.Equal(new double[] { 1, 3, 6, 1000, 2000, 2000 }, x.Cumsum(1).ToArray<double>());
        var lse = x.Logsumexp(1).ToArray<double>();
        Assert.Equal(Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)), lse[0], 12);
        Assert.Equal(1000 + Math.Log(2), lse[1], 9); // stable where naive exp overflows
    }

    [Fact]
    public void Dtype_and_device_moves_keep_values()
    {
        using var scope = new TensorScope();
        var x = T.FromSpan<int>([1, -2, 3], [3]);
        var y = x.To(Device.Cpu, DType.Float64);
        Assert.Equal(DType.Float64, y.DType);
        Assert.Equal(new double[] { 1, -2, 3 }, y.ToArray<double>());
        Assert.Equal(DType.BFloat16, y.To(DType.BFloat16).DType);
    }
}
