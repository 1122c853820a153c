using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>CAV-MAE's shared layers with per-modality norms against the PyTorch reference (Goldens/make_stella_goldens.py).</summary>
public sealed class SharedTransformerTests
{
    [Fact]
    public void Joint_audio_and_video_paths_match_the_reference_forward_and_backward()
    {
        using var golden = new Golden("shared_transformer");
        using var scope = new TensorScope();
        using var shared = new SharedTransformer(dim: 16, depth: 2, heads: 2);
        shared.LoadStateDict(golden.Parameters("x", "output.joint", "output.audio", "output.video", "probe.joint", "probe.audio", "probe.video"));
        var x = golden["x"].Clone().Detach();
        x.RequiresGrad = true;

        var joint = shared.Forward(x);
        var audio = shared.ForwardAudio(x);
        var video = shared.ForwardVideo(x);
        Golden.AssertClose(golden["output.joint"], joint, "joint");
        Golden.AssertClose(golden["output.audio"], audio, "audio");
        Golden.AssertClose(golden["output.video"], video, "video");
        ((joint * golden["probe.joint"]).Sum() + (audio * golden["probe.audio"]).Sum() + (video * golden["probe.video"]).Sum()).Backward();
        Golden.AssertClose(golden["grad.x"], x.Grad!, "grad.x");
        var checkedParameters = 0;
        foreach (var (key, parameter) in shared.NamedParameters())
        {
            Golden.AssertClose(golden["grad." + key], parameter.Grad!, "grad." + key);
            checkedParameters++;
        }
        Assert.Equal(2 * (6 * 2 + 4 + 4) + 3 * 2, checkedParameters);  // per block six norms, attention, MLP; three final norms
    }

    [Fact]
    public void A_modality_trains_its_own_norms_and_the_shared_weights_only()
    {
        using var scope = new TensorScope();
        T.ManualSeed(4);
        using var shared = new SharedTransformer(dim: 8, depth: 1, heads: 2);
        shared.ForwardAudio(T.Randn(2, 3, 8)).Sum().Backward();
        var touched = shared.NamedParameters().Where(p => p.Value.Grad is not null).Select(p => p.Key).ToHashSet();
        Assert.Contains("blocks.0.norm1_a.weight", touched);
        Assert.Contains("blocks.0.attn.qkv.weight", touched);
        Assert.Contains("blocks.0.mlp.fc2.weight", touched);
        Assert.Contains("norm_a.weight", touched);
        Assert.DoesNotContain("blocks.0.norm1.weight", touched);
        Assert.DoesNotContain("blocks.0.norm2_v.weight", touched);
        Assert.DoesNotContain("norm_v.weight", touched);
        Assert.DoesNotContain("norm.weight", touched);
    }

    [RequiresTorchFact]
    public void The_committed_stella_goldens_are_what_make_stella_goldens_py_writes() =>
        Golden.AssertScriptRemakes("make_stella_goldens.py",
            "stella_matching", "stella_correlation", "stella_selection", "selection_decoder", "shared_transformer");
}
