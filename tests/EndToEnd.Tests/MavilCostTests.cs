using AvDsl.Runtime.Telemetry;
using AvDsl.Specs;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>
/// `avdsl cost` of the generated MavilTiny against its matrix products written out by hand from the architecture
/// (the benchmark's `mavil --check` compares the same number with the operators PyTorch dispatches).
/// </summary>
[Collection(nameof(GlobalRandomness))] // the estimate seeds libtorch's global generator
public sealed class MavilCostTests
{
    /// <summary>A pre-norm ViT block on n tokens of width d: qkv 6nd², projection 2nd², MLP 16nd²; q kᵀ and the weighted sum of v 2n²d each.</summary>
    private static long Block(long n, long d) => 24 * n * d * d + 4 * n * n * d;

    [Fact]
    public void MavilTiny_forward_flops_are_its_layers_counted_by_hand()
    {
        var c = MavilTinyConfig.Default;
        long d = c.Dim, aTokens = 16 * 8, vTokens = 4 * 4 * 4;                    // 128 audio patches, 64 tubelets
        // RandomMask keeps int(N (1 - ratio)): 25 of 128 audio patches, 32 of 64 tubelets at MavilTiny's ratios
        long aKept = (long)(aTokens * (1 - c.ARatio)), vKept = (long)(vTokens * (1 - c.VRatio));
        long aDecoder = c.ADecoder.Dim, vDecoder = c.VDecoder.Dim;
        var perSample =
            2 * aTokens * d * (16 * 16) + 2 * vTokens * d * (3 * 2 * 16 * 16)      // patch and tubelet embeddings
            + 2 * c.AEncoder.Depth * Block(1 + aKept, d)                           // audio encoder: the view and the second view
            + 2 * c.VEncoder.Depth * Block(1 + vKept, d)                           // video encoder: the same
            + c.Fusion.Depth * Block(1 + aKept + 1 + vKept, d)                     // fusion over [audio; video], CLS tokens included
            + 2 * aKept * d * aDecoder + c.ADecoder.Depth * Block(aTokens, aDecoder) + 2 * aTokens * aDecoder * 256
            + 2 * vKept * d * vDecoder + c.VDecoder.Depth * Block(vTokens, vDecoder) + 2 * vTokens * vDecoder * 1536
            + 3 * 2 * d;                                                           // three InfoNCE logit matrices, 1 x 1 at batch 1

        var estimate = StepCost.Estimate(MavilTinySpec.Plan());

        Assert.Equal(c.Train.Batch * perSample, estimate.ForwardFlops);            // 8.407 GFLOP at batch 16
    }
}
