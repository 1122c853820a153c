using System.Reflection;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Shapes;
using AvDsl.Dsl.Text;
using AvDsl.Runtime;
using AvDsl.Runtime.Diffusion;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AvDsl.Generator.Tests;

/// <summary>DiffMAE's components as a spec writes them: the words of their enums, the noised target's fields and shapes,
/// and the decoder's shape rule tying the patch width to <c>outputs</c>.</summary>
public class DiffusionSpecTests
{
    private const string Spec = """
        spec TinyDiffMae {
          input audio: fbank(mel: 128, frames: 256)
          patches = patch_embed_2d(patch: 16, dim: 64)
          pos     = sincos_2d(dim: 64, grid: [16, 8])
          encoder = transformer(depth: 1, dim: 64, heads: 4)
          noise   = diffusion_noise(timesteps: 1000, schedule: cosine)
          decoder = diffusion_decoder(inputs: 64, dim: 32, depth: 1, heads: 4, outputs: 256, grid: [16, 8], queries: noised, attention: cross)
          flow {
            tokens = patches(audio) + pos()
            view   = random_mask(tokens, ratio: 0.75)
            hidden = encoder(view.visible)
            target = noise(patchify(audio, patch: 16))
            pred   = decoder(hidden, view, target)
          }
          loss recon = mse(pred[view.masked], target.clean[view.masked])
          train { optimizer: adamw() lr: 1e-3 steps: 1 batch: 2 }
          data { train: synthetic_spectrograms() }
        }
        """;

    private static (string Generated, System.Collections.Immutable.ImmutableArray<Diagnostic> Diagnostics, IEnumerable<Diagnostic> Errors) Run(string spec)
    {
        var (driver, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new AvmlText("specs/diff.avml", spec)), GeneratorHarness.Compilation());
        var generated = driver.GetRunResult().Results.Single().GeneratedSources
            .Where(s => s.HintName == "TinyDiffMae.avml.g.cs").Select(s => s.SourceText.ToString()).SingleOrDefault() ?? "";
        return (generated, diagnostics, output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void A_diffusion_decoder_spec_binds_its_words_and_follows_the_noised_target_s_shapes()
    {
        var (generated, diagnostics, errors) = Run(Spec);

        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        Assert.Contains("NoiseScheduleKind.Cosine", generated);
        Assert.Contains("DecoderQueries.Noised", generated);
        Assert.Contains("DecoderAttention.Cross", generated);
        Assert.Contains("var target = Noise.Forward(TargetPatchify.Forward(audio));", generated);
        Assert.Contains("var pred = Decoder.Forward(hidden, view, target); // [B, 128, 256]", generated);
        Assert.Contains("target.Clean[view.Masked]", generated);
    }

    [Fact]
    public void A_decoder_whose_outputs_are_not_the_patch_width_is_a_shape_error()
    {
        var (_, diagnostics, _) = Run(Spec.Replace("outputs: 256", "outputs: 128"));
        Assert.Contains(diagnostics, d => d.Id == "AV0020" && d.GetMessage().Contains("expects `target.noised` as [B, 128, 128], but it is [B, 128, 256]"));
    }

    [Fact]
    public void An_unknown_word_is_answered_with_the_words_there_are()
    {
        var (_, diagnostics, _) = Run(Spec.Replace("attention: cross", "attention: crossed"));
        Assert.Contains(diagnostics, d => d.GetMessage().Contains("`attention` of `diffusion_decoder` must be one of `joint`, `cross`"));
    }

    [Fact]
    public void The_3d_decoder_s_rule_ties_the_tubelet_width_to_outputs_and_the_tubelet_count_to_the_grid()
    {
        var rule = ShapeRuleParser.Parse(typeof(DiffusionDecoder3d).GetMethod("Forward")!.GetCustomAttribute<ShapeAttribute>()!.Rule, out var error);
        Assert.True(rule is not null, error);
        var grid = new ListValue(new Value[] { new IntValue(4), new IntValue(4), new IntValue(4) }.ToEquatableArray());
        var arguments = new Dictionary<string, Value> { ["inputs"] = new IntValue(192), ["outputs"] = new IntValue(1536), ["grid"] = grid };
        static TensorShape Shape(params object[] dims) => new(dims.Select(d => d is int i ? Dim.Of(i) : Dim.Named((string)d)).ToEquatableArray());
        object[] Inputs(TensorShape noised) =>
        [
            Shape("B", "K", 192),
            new Dictionary<string, TensorShape> { ["keep_indices"] = Shape("B", "K") },
            new Dictionary<string, TensorShape> { ["clean"] = noised, ["noised"] = noised, ["timestep"] = Shape("B") },
        ];

        var fits = ShapeInference.Apply(rule!, arguments, Inputs(Shape("B", 64, 1536)));
        Assert.Null(fits.Mismatch);
        Assert.Equal("[B, 64, 1536]", fits.Output!.ToString());
        Assert.NotNull(ShapeInference.Apply(rule!, arguments, Inputs(Shape("B", 64, 768))).Mismatch);
        Assert.NotNull(ShapeInference.Apply(rule!, arguments, Inputs(Shape("B", 32, 1536))).Mismatch);
    }
}
