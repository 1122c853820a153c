using AvDsl.Runtime.Diffusion;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests.Diffusion;

/// <summary>DiffMAE's components against PyTorch 1.13.1, from the committed goldens (Goldens/make_diffusion_goldens.py):
/// improved DDPM's schedules and forward process, DiT's timestep embedder, both decoders with noised queries.</summary>
public sealed class DiffusionPyTorchEquivalenceTests
{
    private static Tensor Leaf(Tensor t)
    {
        var leaf = t.Clone().Detach();
        leaf.RequiresGrad = true;
        return leaf;
    }

    [Theory]
    [InlineData(NoiseScheduleKind.Linear, "alpha_bar.linear")]
    [InlineData(NoiseScheduleKind.Cosine, "alpha_bar.cosine")]
    public void Schedules_match_improved_DDPM_s_alphas_cumprod(NoiseScheduleKind kind, string key)
    {
        using var golden = new Golden("diffusion_noise");
        var expected = golden[key].ToArray<double>();
        var schedule = new NoiseSchedule(kind, timesteps: 1000);
        Assert.Equal(expected.Length, schedule.AlphaBar.Count);
        for (var t = 0; t < expected.Length; t++)
            Assert.True(Math.Abs(expected[t] - schedule.AlphaBar[t]) <= 1e-12 * expected[t] + 1e-300,
                $"ᾱ[{t}]: AvDsl {schedule.AlphaBar[t]:R} vs improved DDPM {expected[t]:R}");
    }

    [Fact]
    public void Forward_process_draws_t_then_noise_from_the_seeded_generator_as_torch_does()
    {
        using var golden = new Golden("diffusion_noise");
        using var scope = new TensorScope();
        using var noise = new DiffusionNoise(timesteps: 1000, schedule: NoiseScheduleKind.Cosine);
        T.ManualSeed(long.Parse(golden.Metadata["seed"], System.Globalization.CultureInfo.InvariantCulture));
        var patches = noise.Forward(golden["clean"]);

        Assert.Equal(golden["timestep"].ToArray<long>(), patches.Timestep.ToArray<long>());
        Golden.AssertClose(golden["clean"], patches.Clean, "clean", atol: 0, rtol: 0);
        Golden.AssertClose(golden["noised"], patches.Noised, "noised", atol: 1e-6, rtol: 1e-6);
    }

    [Fact]
    public void Timestep_embedding_matches_DiT_s_embedder_forward_and_backward()
    {
        using var golden = new Golden("timestep_embedding");
        using var scope = new TensorScope();
        var t = golden["timestep"];
        Golden.AssertClose(golden["sinusoid"], TimestepEmbedding.Sinusoid(t, 256), "sinusoid", atol: 1e-7, rtol: 0);
        Golden.AssertClose(golden["sinusoid.odd"], TimestepEmbedding.Sinusoid(t, 7), "sinusoid.odd", atol: 1e-7, rtol: 0);

        using var embedding = new TimestepEmbedding(dim: 24);
        embedding.LoadStateDict(golden.Parameters("timestep", "sinusoid", "sinusoid.odd", "output", "probe"));
        var y = embedding.Forward(t);
        Golden.AssertClose(golden["output"], y, "output");
        (y * golden["probe"]).Sum().Backward();
        foreach (var (key, parameter) in embedding.NamedParameters())
            Golden.AssertClose(golden["grad." + key], parameter.Grad!, "grad." + key);
        Assert.Equal(4, embedding.NamedParameters().Count());
    }

    [Theory]
    [InlineData("diffusion_decoder_joint_2d", 2 + 2 + 4 + 2 * 12 + 2 + 2)]   // embed, noised embed, time embed, 2 blocks, norm, pred
    [InlineData("diffusion_decoder_cross_3d", 2 + 2 + 4 + 2 * 16 + 2 + 2)]
    public void Decoders_with_noised_queries_match_the_reference_forward_and_backward(string name, int parameters)
    {
        using var golden = new Golden(name);
        using var scope = new TensorScope();
        using DenoisingDecoder decoder = name.Contains("joint")
            ? new DiffusionDecoder(inputs: 12, dim: 16, depth: 2, heads: 2, outputs: 6, grid: [3, 4], attention: DecoderAttention.Joint)
            : new DiffusionDecoder3d(inputs: 12, dim: 16, depth: 2, heads: 2, outputs: 8, grid: [2, 2, 3], attention: DecoderAttention.Cross);
        // The position table is the decoder's own (not loaded), so the output also checks it.
        var loaded = decoder.LoadStateDict(golden.Parameters("context", "keep_indices", "restore_indices", "masked", "clean", "noised",
            "timestep", "table", "output", "probe"), strict: false);
        Assert.Equal(["pos.embedding"], loaded.MissingKeys);
        Assert.Empty(loaded.UnexpectedKeys);
        Golden.AssertClose(golden["table"], decoder.Pos.Forward(), "pos.embedding", atol: 1e-6, rtol: 0);
        var (context, clean, noised) = (Leaf(golden["context"]), Leaf(golden["clean"]), Leaf(golden["noised"]));
        var view = new MaskedView(context, golden["masked"], golden["keep_indices"], golden["restore_indices"]);
        var target = new NoisedPatches(clean, noised, golden["timestep"]);

        var y = decoder is DiffusionDecoder flat ? flat.Forward(context, view, target) : ((DiffusionDecoder3d)decoder).Forward(context, view, target);
        Golden.AssertClose(golden["output"], y, "output");
        (y * golden["probe"]).Sum().Backward();
        Golden.AssertClose(golden["grad.context"], context.Grad!, "grad.context");
        Golden.AssertClose(golden["grad.noised"], noised.Grad!, "grad.noised");
        Golden.AssertClose(golden["grad.clean"], clean.Grad ?? T.ZerosLike(clean), "grad.clean");
        var checkedParameters = 0;
        foreach (var (key, parameter) in decoder.NamedParameters())
        {
            Golden.AssertClose(golden["grad." + key], parameter.Grad!, "grad." + key);
            checkedParameters++;
        }
        Assert.Equal(parameters, checkedParameters);
    }

    [RequiresTorchFact]
    public void The_committed_diffusion_goldens_are_what_make_diffusion_goldens_py_writes() =>
        Golden.AssertScriptRemakes("make_diffusion_goldens.py",
            "diffusion_noise", "timestep_embedding", "diffusion_decoder_joint_2d", "diffusion_decoder_cross_3d");
}
