using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

public sealed class TensorScopeTests
{
    private static long SettledLiveCount()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Tensor.LiveCount;
    }

    [Fact]
    public void Live_count_returns_to_baseline_after_a_scope()
    {
        var baseline = SettledLiveCount();
        using (var scope = new TensorScope())
        {
            var x = T.Randn(4, 4);
            var y = (x * 2 + 1).Matmul(x).Softmax(-1);
            Assert.True(Tensor.LiveCount >= baseline + 5);
            Assert.Equal(Tensor.LiveCount - baseline, scope.Count);
            Assert.False(y.IsDisposed);
        }
        Assert.Equal(baseline, Tensor.LiveCount);
    }

    [Fact]
    public void Moved_tensors_survive_their_scope_and_belong_to_the_outer_one()
    {
        var baseline = SettledLiveCount();
        using (var outer = new TensorScope())
        {
            Tensor kept;
            using (var inner = new TensorScope())
            {
                var temporary = T.Ones(3);
                kept = (temporary * 5).MoveToOuterScope();
            }
            Assert.Equal(new float[] { 5, 5, 5 }, kept.ToArray<float>());
            Assert.Equal(baseline + 1, Tensor.LiveCount);
            Assert.Same(outer, kept.Scope);
        }
        Assert.Equal(baseline, Tensor.LiveCount);
    }

    [Fact]
    public void A_tensor_moved_out_of_the_last_scope_is_owned_by_the_caller()
    {
        var baseline = SettledLiveCount();
        Tensor kept;
        using (var scope = new TensorScope())
            kept = scope.MoveToOuter(T.Zeros(2));
        Assert.False(kept.IsDisposed);
        Assert.Equal(baseline + 1, Tensor.LiveCount);
        kept.Dispose();
        Assert.Equal(baseline, Tensor.LiveCount);
    }

    [Fact]
    public void Parameters_and_buffers_are_not_freed_by_step_scopes()
    {
        Linear linear;
        using (new TensorScope())
            linear = new Linear(3, 2);
        using (new TensorScope())
        {
            var y = linear.Forward(T.Ones(1, 3));
            Assert.Equal(new long[] { 1, 2 }, y.Shape);
        }
        Assert.False(linear.Weight.IsDisposed);
        Assert.False(linear.Bias!.IsDisposed);
        linear.Dispose();
        Assert.True(linear.Weight.IsDisposed);
    }

    [Fact]
    public void Forward_and_backward_of_a_transformer_leak_nothing()
    {
        T.ManualSeed(11);
        using var transformer = new Transformer(dim: 16, depth: 2, heads: 2);
        var baseline = SettledLiveCount();
        for (var step = 0; step < 3; step++)
        {
            using var scope = new TensorScope();
            var y = transformer.Forward(T.Randn(2, 5, 16));
            y.Square().Mean().Backward();
            foreach (var p in transformer.Parameters()) p.ZeroGrad();
        }
        Assert.Equal(baseline, Tensor.LiveCount);
    }
}
