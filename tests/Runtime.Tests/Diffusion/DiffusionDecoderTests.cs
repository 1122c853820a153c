using AvDsl.Runtime.Diffusion;
using AvDsl.Runtime.Masking;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Telemetry;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests.Diffusion;

/// <summary>
/// The diffusion decoders' contracts that hold whatever the weights: mask tokens with joint attention are MAE's decoder,
/// cross attention decodes each masked query on its own, every parameter learns, and cross attention costs what its
/// closed form says, less than joint.
/// </summary>
public sealed class DiffusionDecoderTests
{
    private sealed record Batch(Tensor Context, MaskedView View, NoisedPatches Target);

    // B = 2 clips of N patches of width P, K visible tokens of width `inputs` from a random mask.
    private static Batch MakeBatch(long tokens, int inputs, int patch, double ratio = 0.5)
    {
        var view = new RandomMask(ratio).Forward(T.Randn(2, tokens, 1));
        var kept = view.KeepIndices.Shape[1];
        var target = new NoisedPatches(T.Randn(2, tokens, patch), T.Randn(2, tokens, patch), T.FromArray(new long[] { 999, 3 }));
        return new Batch(T.Randn(2, kept, inputs), view, target);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mask_tokens_with_joint_attention_compute_exactly_what_the_MAE_decoder_computes(bool video)
    {
        T.ManualSeed(21);
        using var scope = new TensorScope();
        using MaskTokenDecoder mae = video
            ? new MaeDecoder3d(inputs: 12, dim: 16, depth: 2, heads: 2, outputs: 8, grid: [2, 2, 3])
            : new MaeDecoder(inputs: 12, dim: 16, depth: 2, heads: 2, outputs: 8, grid: [3, 4]);
        using DenoisingDecoder diffusion = video
            ? new DiffusionDecoder3d(inputs: 12, dim: 16, depth: 2, heads: 2, outputs: 8, grid: [2, 2, 3], queries: DecoderQueries.MaskToken)
            : new DiffusionDecoder(inputs: 12, dim: 16, depth: 2, heads: 2, outputs: 8, grid: [3, 4], queries: DecoderQueries.MaskToken);
        Assert.Equal(mae.StateDict().Keys, diffusion.StateDict().Keys);
        diffusion.LoadStateDict(mae.StateDict());
        var batch = MakeBatch(12, inputs: 12, patch: 8);

        var expected = video ? ((MaeDecoder3d)mae).Forward(batch.Context, batch.View) : ((MaeDecoder)mae).Forward(batch.Context, batch.View);
        var actual = Decode(diffusion, batch);
        Assert.Equal(expected.ToArray<float>(), actual.ToArray<float>());
        // x_t and t are not read.
        var other = batch with { Target = batch.Target with { Noised = T.Randn(2, 12, 8), Timestep = T.FromArray(new long[] { 0, 500 }) } };
        Assert.Equal(expected.ToArray<float>(), Decode(diffusion, other).ToArray<float>());
    }

    [Theory]
    [InlineData(DecoderAttention.Cross, true)]
    [InlineData(DecoderAttention.Joint, false)]
    public void Changing_x_t_at_one_masked_position_changes_the_other_masked_outputs_only_with_joint_attention(DecoderAttention attention, bool independent)
    {
        T.ManualSeed(22);
        using var scope = new TensorScope();
        using var decoder = new DiffusionDecoder(inputs: 12, dim: 16, depth: 2, heads: 2, outputs: 6, grid: [4, 4], attention: attention);
        var batch = MakeBatch(16, inputs: 12, patch: 6, ratio: 0.75);
        var masked = batch.View.Masked.ToArray<bool>();
        var position = Array.IndexOf(masked, true);                       // sample 0's first masked patch
        var others = Enumerable.Range(0, 16).Where(p => p != position && masked[p]).ToList();
        Assert.True(others.Count >= 10);

        var before = Decode(decoder, batch).ToArray<float>();
        var changed = batch.Target.Noised.Clone();
        changed[0][position].CopyFrom(T.Randn(6));
        var after = Decode(decoder, batch with { Target = batch.Target with { Noised = changed } }).ToArray<float>();

        static float[] At(float[] output, int p) => output.Skip(p * 6).Take(6).ToArray();
        Assert.NotEqual(At(before, position), At(after, position));
        foreach (var p in others)
        {
            if (independent) Assert.Equal(At(before, p), At(after, p));
            else Assert.NotEqual(At(before, p), At(after, p));
        }
        if (attention == DecoderAttention.Cross)
        {
            // Visible positions hold the clean patches themselves.
            var clean = batch.Target.Clean.ToArray<float>();
            for (var p = 0; p < 16; p++)
                if (!masked[p])
                    Assert.Equal(At(clean, p), At(after, p));
        }
    }

    [Theory]
    [InlineData(DecoderQueries.Noised, DecoderAttention.Joint)]
    [InlineData(DecoderQueries.Noised, DecoderAttention.Cross)]
    [InlineData(DecoderQueries.MaskToken, DecoderAttention.Joint)]
    [InlineData(DecoderQueries.MaskToken, DecoderAttention.Cross)]
    public void The_masked_loss_reaches_every_parameter(DecoderQueries queries, DecoderAttention attention)
    {
        T.ManualSeed(23);
        using var scope = new TensorScope();
        using var decoder = new DiffusionDecoder3d(inputs: 12, dim: 16, depth: 2, heads: 4, outputs: 6, grid: [2, 2, 4], queries: queries, attention: attention);
        var batch = MakeBatch(16, inputs: 12, patch: 6);
        var prediction = Decode(decoder, batch);
        Assert.Equal(new long[] { 2, 16, 6 }, prediction.Shape);

        (prediction - batch.Target.Clean)[batch.View.Masked].Square().Mean().Backward();
        var parameters = decoder.NamedParameters().ToList();
        Assert.Equal(queries == DecoderQueries.MaskToken, parameters.Any(p => p.Key == "mask_token"));
        Assert.Equal(queries == DecoderQueries.Noised, parameters.Any(p => p.Key.StartsWith("time_embed.", StringComparison.Ordinal)));
        Assert.Equal(attention == DecoderAttention.Cross, parameters.Any(p => p.Key.StartsWith("blocks.", StringComparison.Ordinal)));
        foreach (var (key, parameter) in parameters)
        {
            Assert.True(parameter.Grad is not null, $"{key} has no gradient");
            Assert.True(parameter.Grad!.Abs().Sum().Item<double>() > 0, $"{key}'s gradient is zero");
        }
    }

    [Fact]
    public void Cross_attention_costs_its_closed_form_which_is_less_than_joint_attention_s()
    {
        // B clips, N = 64 patches of width P, K = 16 visible tokens of width C, M = 48 masked, dim D, depth L, mlp 4x,
        // F = 256 timestep frequencies. Matrix-product FLOPs (2 per multiply-add), per clip:
        //   shared: embed 2KCD + noised embed 2MPD + timestep MLP 2FD + 2D²
        //   joint:  L·(24ND² + 4N²D) (a ViT block over N tokens) + head 2NDP
        //   cross:  L·(2MD² q + 4KD² kv + 2MD² proj + 16MD² MLP + 4MKD attention) + head 2MDP
        const long b = 2, n = 64, k = 16, m = n - k, p = 16, c = 48, d = 32, l = 2, f = 256;
        var shared = 2 * k * c * d + 2 * m * p * d + 2 * f * d + 2 * d * d;
        var joint = b * (shared + l * (24 * n * d * d + 4 * n * n * d) + 2 * n * d * p);
        var cross = b * (shared + l * (20 * m * d * d + 4 * k * d * d + 4 * m * k * d) + 2 * m * d * p);

        Assert.Equal(joint, ForwardFlops(DecoderAttention.Joint));
        Assert.Equal(cross, ForwardFlops(DecoderAttention.Cross));
        Assert.True(cross < joint * 0.8, $"cross {cross} vs joint {joint}");

        static long ForwardFlops(DecoderAttention attention)
        {
            T.ManualSeed(24);
            using var scope = new TensorScope();
            using var decoder = new DiffusionDecoder(inputs: (int)c, dim: (int)d, depth: (int)l, heads: 4, outputs: (int)p, grid: [8, 8], attention: attention);
            var batch = MakeBatch(n, inputs: (int)c, patch: (int)p, ratio: 0.75);
            Assert.Equal(k, batch.View.KeepIndices.Shape[1]);
            using var cost = CostCounter.Start();
            Decode(decoder, batch);
            return cost.ForwardFlops;
        }
    }

    [Fact]
    public void Inputs_that_do_not_fit_are_refused_with_the_shapes_named()
    {
        T.ManualSeed(25);
        using var scope = new TensorScope();
        using var decoder = new DiffusionDecoder(inputs: 12, dim: 16, depth: 1, heads: 2, outputs: 6, grid: [2, 4]);
        var batch = MakeBatch(8, inputs: 12, patch: 6);
        using var cls = new ClsToken(12);
        var error = Assert.Throws<ArgumentException>(() => decoder.Forward(cls.Forward(batch.Context), batch.View, batch.Target));
        Assert.Contains("has 5 tokens but its mask kept 4", error.Message);
        var narrow = batch.Target with { Noised = T.Randn(2, 8, 5) };
        error = Assert.Throws<ArgumentException>(() => decoder.Forward(batch.Context, batch.View, narrow));
        Assert.Contains("expected the noised target as [2, 8, 6]", error.Message);
        Assert.Throws<ArgumentException>(() => new DiffusionDecoder(inputs: 12, dim: 16, depth: 1, heads: 3, outputs: 6, grid: [2, 4]));
    }

    private static Tensor Decode(DenoisingDecoder decoder, Batch batch) => decoder switch
    {
        DiffusionDecoder flat => flat.Forward(batch.Context, batch.View, batch.Target),
        DiffusionDecoder3d video => video.Forward(batch.Context, batch.View, batch.Target),
        _ => throw new ArgumentException(decoder.GetType().Name),
    };
}
