using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace AvDsl.EndToEnd.Tests;

/// <summary>A masked autoencoder spec with random sizes and settings, within every constraint Runtime's components
/// declare: dims are multiples of 4 · heads (sin-cos positions, attention heads), the inputs divide into patches, the
/// mask keeps a token, the warm-up ends within the run.</summary>
public sealed record RandomSpec(
    int Mel, int Frames, int Patch, int Dim, int Depth, int Heads, double Mlp, int DecoderDim, int DecoderDepth, int DecoderHeads,
    double Ratio, double Beta1, double Beta2, double Peak, int Warmup, int Steps, int Batch, double Clip, int Seed)
{
    public static Gen<RandomSpec> Valid { get; } =
        from patch in Gen.Elements(4, 8, 16)
        from rows in Gen.Choose(2, 4)
        from cols in Gen.Choose(2, 4)
        from heads in Gen.Choose(1, 4)
        from width in Gen.Choose(1, 4)
        from depth in Gen.Choose(1, 3)
        from mlp in Gen.Elements(1.0, 2.0, 4.0)
        from decoderHeads in Gen.Choose(1, 4)
        from decoderWidth in Gen.Choose(1, 3)
        from decoderDepth in Gen.Choose(1, 2)
        from ratio in Gen.Choose(1, 75).Select(r => r / 100.0)
        from beta1 in Gen.Choose(0, 99).Select(b => b / 100.0)
        from beta2 in Gen.Choose(900, 999).Select(b => b / 1000.0)
        from peak in Gen.Choose(1, 100).Select(p => p * 1e-4)
        from steps in Gen.Choose(1, 200)
        from warmup in Gen.Choose(0, 200)
        from batch in Gen.Choose(1, 4)
        from clip in Gen.Choose(1, 50).Select(c => c / 10.0)
        from seed in Gen.Choose(0, 1000)
        select new RandomSpec(cols * patch, rows * patch, patch, 4 * heads * width, depth, heads, mlp, 4 * decoderHeads * decoderWidth, decoderDepth,
            decoderHeads, ratio, beta1, beta2, peak, Math.Min(warmup, steps), steps, batch, clip, seed);

    public string Text => Named("Random");

    /// <summary>The spec as text, under a name of its own (several fit in one file).</summary>
    public string Named(string name) => string.Format(CultureInfo.InvariantCulture, """
        spec {22} {{
          input audio: fbank(mel: {0}, frames: {1})
          patches = patch_embed_2d(patch: {2}, dim: {3})
          pos     = sincos_2d(dim: {3}, grid: [{4}, {5}])
          encoder = transformer(depth: {6}, dim: {3}, heads: {7}, mlp: {8})
          decoder = mae_decoder(inputs: {3}, dim: {9}, depth: {10}, heads: {11}, outputs: {12}, grid: [{4}, {5}])
          flow {{
            tokens = patches(audio) + pos()
            view   = random_mask(tokens, ratio: {13})
            hidden = encoder(view.visible)
            pred   = decoder(hidden, view)
            target = patchify(audio, patch: {2})
          }}
          loss recon = mse(pred[view.masked], target[view.masked])
          train {{
            optimizer: adamw(betas: [{14}, {15}])
            lr: warmup_cosine(peak: {16}, warmup: {17})
            steps: {18}
            batch: {19}
            seed: {20}
            clip: {21}
          }}
          data {{ train: synthetic_spectrograms() }}
        }}

        """, Mel, Frames, Patch, Dim, Frames / Patch, Mel / Patch, Depth, Heads, N(Mlp), DecoderDim, DecoderDepth, DecoderHeads, Patch * Patch,
        N(Ratio), N(Beta1), N(Beta2), N(Peak), Warmup, Steps, Batch, Seed, N(Clip), name);

    private static string N(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }
}
