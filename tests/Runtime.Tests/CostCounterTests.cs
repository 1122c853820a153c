using AvDsl.Runtime.Data;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Telemetry;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;
using F = AvDsl.Runtime.Torch.Functional;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>FLOP counts of single ops and of a Transformer block against closed forms; the backward rule; the
/// step estimate of a plan.</summary>
public sealed class CostCounterTests
{
    [Fact]
    public void Linear_on_data_costs_2MKN_forward_and_one_product_backward()
    {
        using var scope = new TensorScope();
        using var layer = new Linear(16, 32);
        var x = T.Randn(4, 16);
        using var cost = CostCounter.Start();
        layer.Forward(x);

        Assert.Equal(2L * 4 * 16 * 32, cost.ForwardFlops);
        Assert.Equal(2L * 4 * 16 * 32, cost.BackwardFlops);        // dW only: the input is data
        Assert.Equal(4L * 32, cost.ElementwiseFlops);               // the bias add
        Assert.Equal(4L * 32 * 4, cost.ActivationBytes);            // the fp32 output
    }

    [Fact]
    public void Linear_on_an_activation_costs_three_forwards_to_train()
    {
        using var scope = new TensorScope();
        using var layer = new Linear(16, 32);
        var x = T.Randn(3, 5, 16);
        x.RequiresGrad = true;
        using var cost = CostCounter.Start();
        layer.Forward(x);

        Assert.Equal(2L * 15 * 16 * 32, cost.ForwardFlops);
        Assert.Equal(3 * cost.ForwardFlops, cost.TrainingFlops);
    }

    [Fact]
    public void Conv2d_costs_2_outputs_times_channels_per_group_times_kernel()
    {
        using var scope = new TensorScope();
        var x = T.Randn(2, 4, 9, 7);
        var weight = T.Randn(6, 2, 3, 3);
        weight.RequiresGrad = true;
        using var cost = CostCounter.Start();
        var y = F.Conv2d(x, weight, null, stride: 2, padding: 1, groups: 2);  // [2, 6, 5, 4]

        Assert.Equal(new long[] { 2, 6, 5, 4 }, y.Shape);
        Assert.Equal(2L * (2 * 6 * 5 * 4) * (2 * 3 * 3), cost.ForwardFlops);
        Assert.Equal(cost.ForwardFlops, cost.BackwardFlops);
    }

    [Fact]
    public void Attention_costs_two_products_of_queries_by_keys()
    {
        using var scope = new TensorScope();
        const long b = 2, h = 3, nq = 10, nk = 12, d = 8, dv = 4;
        var q = T.Randn(b, h, nq, d);
        var k = T.Randn(b, h, nk, d);
        var v = T.Randn(b, h, nk, dv);
        foreach (var t in new[] { q, k, v }) t.RequiresGrad = true;
        using var cost = CostCounter.Start();
        F.ScaledDotProductAttention(q, k, v);

        var forward = 2 * b * h * nq * nk * d + 2 * b * h * nq * nk * dv;
        Assert.Equal(forward, cost.ForwardFlops);
        Assert.Equal(2 * forward, cost.BackwardFlops);
        Assert.Equal(b * h * nq * nk, cost.ElementwiseFlops);                    // the softmax
        Assert.Equal((b * h * nq * dv + b * h * nq * nk) * 4, cost.ActivationBytes); // output and probabilities
    }

    [Fact]
    public void Einsum_costs_2_times_every_index_once()
    {
        using var scope = new TensorScope();
        var a = T.Randn(2, 3, 4);
        var b = T.Randn(2, 4, 5);
        using var cost = CostCounter.Start();
        F.Einsum("bij,bjk->bik", a, b);
        F.Einsum("...ij,...jk->...ik", a, b);

        Assert.Equal(2 * (2L * 2 * 3 * 4 * 5), cost.ForwardFlops);
    }

    [Fact]
    public void A_transformer_block_costs_24ND2_plus_4N2D_forward_and_three_times_that_to_train()
    {
        // Per sample: qkv 6ND², projection 2ND², MLP (4x) 16ND² → 24ND²; q kᵀ and the weighted sum of v 2N²D each.
        using var scope = new TensorScope();
        const long n = 20, dim = 32, batch = 3;
        using var block = new TransformerBlock(dim: (int)dim, heads: 4, mlp: 4);
        var x = T.Randn(batch, n, dim);
        x.RequiresGrad = true;
        using var cost = CostCounter.Start();
        block.Forward(x);

        Assert.Equal(batch * (24 * n * dim * dim + 4 * n * n * dim), cost.ForwardFlops);
        Assert.Equal(3 * cost.ForwardFlops, cost.TrainingFlops);
        Assert.Equal(0, cost.NoGradFlops);
    }

    [Fact]
    public void Ops_under_no_grad_are_counted_once()
    {
        using var scope = new TensorScope();
        using var student = new Linear(8, 8);
        using var teacher = new Linear(8, 8);
        var x = T.Randn(5, 8);
        using var cost = CostCounter.Start();
        var s = student.Forward(x);
        Tensor t;
        using (T.NoGrad())
            t = teacher.Forward(x);
        F.MseLoss(s, t);

        var one = 2L * 5 * 8 * 8;
        Assert.Equal(2 * one, cost.ForwardFlops);
        Assert.Equal(one, cost.NoGradFlops);
        Assert.Equal(one, cost.BackwardFlops);             // the student's weight only
        Assert.Equal(3 * one, cost.TrainingFlops);
        Assert.All(cost.Ops.Where(o => !o.InGraph), o => Assert.Equal(0, o.SavedBytes));
    }

    [Fact]
    public void Nothing_is_counted_once_the_counter_is_disposed()
    {
        using var scope = new TensorScope();
        var x = T.Randn(4, 4);
        var cost = CostCounter.Start();
        cost.Dispose();
        x.Matmul(x);
        Assert.Empty(cost.Ops);
    }

    [Fact]
    public void A_plan_is_costed_per_sample_and_scaled_to_its_batch()
    {
        var plan = TinyMae.Plan(steps: 1) with { BatchSize = 8 };
        var eight = StepCost.Estimate(plan);
        var one = StepCost.Estimate(plan with { BatchSize = 1 });

        Assert.Equal("features", eight.InputSource);
        Assert.Equal(8 * one.TrainingFlops, eight.TrainingFlops);
        Assert.Equal(8 * one.ActivationBytes, eight.ActivationBytes);
        Assert.True(one.ForwardFlops > 0 && one.TrainingFlops > 2 * one.ForwardFlops && one.TrainingFlops <= 3 * one.ForwardFlops);
        using var model = plan.CreateModel();
        Assert.Equal(model.ParameterCount, eight.TrainableParameters);
        Assert.Equal(0, eight.FrozenParameters);
    }

    [Fact]
    public void A_plan_is_costed_from_its_features_shapes_without_opening_its_data()
    {
        var plan = TinyMae.Plan(steps: 1);
        var fromFbank = StepCost.Estimate(plan);
        var fromShapes = StepCost.Estimate(plan with
        {
            Data = new UnopenableSource(),
            Features = [new ShapeOnlyFeatures("audio", [256, 128])],
        });

        Assert.Equal("features", fromShapes.InputSource);
        Assert.Equal(fromFbank.TrainingFlops, fromShapes.TrainingFlops);
        Assert.Equal(fromFbank.ActivationBytes, fromShapes.ActivationBytes);
    }

    private sealed record UnopenableSource : IDataSource
    {
        public IBatchSource Open(IReadOnlyList<IClipFeatures> inputs, long seed, DataShard shard) => throw new IOException("no data here");
    }

    private sealed class ShapeOnlyFeatures(string input, int[] shape) : IClipFeatures
    {
        public string Input => input;
        public string SettingsKey => "shape-only";
        public int[] SampleShape => shape;
        public FeatureArray Extract(ManifestEntry entry, CancellationToken cancel) => throw new NotSupportedException();
        public float[] Prepare(FeatureArray raw) => throw new NotSupportedException();
    }
}
