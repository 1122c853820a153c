using AvDsl.Dsl.Model;
using AvDsl.Dsl.Shapes;
using AvDsl.Dsl.Text;
using Xunit;

namespace AvDsl.Dsl.Tests;

public class ShapeTests
{
    private static readonly string TinyMae = SpecText.Read("tiny-mae.avml");

    private static SpecFile Compile(string text) => SpecCompiler.Compile("spec.avml", text, TestCatalog.Instance);

    [Fact]
    public void Shapes_are_followed_through_every_component_of_the_tiny_spec()
    {
        var spec = Assert.Single(Compile(TinyMae).Specs);
        var shapes = spec.Flow.ToDictionary(f => f.Name, f => f.Shape);
        Assert.Equal("[B, 128, 64]", shapes["tokens"]);
        Assert.Null(shapes["view"]); // a result, not a tensor
        Assert.Equal("[B, K, 64]", shapes["hidden"]);
        Assert.Equal("[B, 128, 256]", shapes["pred"]);
        Assert.Equal("[B, 128, 256]", shapes["target"]);
    }

    private const string Spec = """
        spec S {
          input audio: fbank(mel: 128, frames: 256)
          patches = patch_embed_2d(patch: 16, dim: 64)
          cls     = cls_token(dim: 64)
          encoder = transformer(depth: 1, dim: 64, heads: 4)
          decoder = mae_decoder(inputs: 64, dim: 64, depth: 1, heads: 4, outputs: 256, grid: [16, 8])
          flow {
            tokens = patches(audio)
            view   = random_mask(tokens, ratio: 0.75)
            other  = random_mask(tokens, ratio: 0.5)
            hidden = encoder(cls(view.visible))
            pred   = decoder(drop_cls(hidden), view)
          }
          loss l = mse(pred, pred)
          train { optimizer: adamw() lr: 1e-3 steps: 1 batch: 2 }
          data { train: synthetic_spectrograms() }
        }
        """;

    [Fact]
    public void A_cls_token_adds_one_token_and_drop_cls_removes_it_so_the_decoder_meets_its_mask()
    {
        var file = Compile(Spec);
        Assert.False(file.HasErrors, string.Join("\n", file.Diagnostics));
        var shapes = Assert.Single(file.Specs).Flow.ToDictionary(f => f.Name, f => f.Shape);
        Assert.Equal("[B, K+1, 64]", shapes["hidden"]);
        Assert.Equal("[B, 128, 256]", shapes["pred"]);
    }

    [Fact]
    public void Forgetting_drop_cls_before_the_decoder_is_a_mismatch_with_its_mask_not_a_silent_shift()
    {
        var file = Compile(Spec.Replace("decoder(drop_cls(hidden), view)", "decoder(hidden, view)"));
        var error = Assert.Single(file.Diagnostics, d => d.IsError);
        Assert.Equal("AV0020", error.Code);
        Assert.Equal("`decoder` expects `view.keep_indices` as [B, K+1], but it is [B, K]: dimension 2 is K, not K+1", error.Message);
        Assert.Contains("drop the CLS token (`drop_cls(…)`)", error.Help);
    }

    [Fact]
    public void Dropping_a_cls_token_that_was_never_added_is_a_mismatch_too()
    {
        var file = Compile(Spec.Replace("encoder(cls(view.visible))", "encoder(view.visible)"));
        var error = Assert.Single(file.Diagnostics, d => d.IsError);
        Assert.Equal("`decoder` expects `view.keep_indices` as [B, K-1], but it is [B, K]: dimension 2 is K, not K-1", error.Message);
        Assert.Contains("one fewer", error.Help);
    }

    [Fact]
    public void Two_masks_keep_tokens_of_their_own_so_a_decoder_given_the_other_mask_is_a_mismatch()
    {
        var file = Compile(Spec.Replace("decoder(drop_cls(hidden), view)", "decoder(drop_cls(hidden), other)"));
        var error = Assert.Single(file.Diagnostics, d => d.IsError);
        Assert.Equal("`decoder` expects `view.keep_indices` as [B, K], but it is [B, K2]: dimension 2 is K2, not K", error.Message);
    }

    [Fact]
    public void Broadcasting_mismatch_is_reported_at_the_operator()
    {
        var file = Compile(TinyMae.Replace("pos     = sincos_2d(dim: 64, grid: [16, 8])", "pos     = sincos_2d(dim: 64, grid: [8, 8])"));
        var error = Assert.Single(file.Diagnostics, d => d.IsError);
        Assert.Equal("AV0020", error.Code);
        Assert.Equal("`+` cannot combine shapes [B, 128, 64] and [1, 64, 64]", error.Message);
        Assert.Equal("patches(audio) + pos()", file.Source.Text.Substring(error.Span.Start, error.Span.Length));
    }

    [Fact]
    public void A_mismatch_is_found_where_a_mask_meets_a_tensor_of_another_grid()
    {
        var file = Compile(TinyMae.Replace("target = patchify(audio, patch: 16)", "target = patchify(audio, patch: 8)"));
        var error = Assert.Single(file.Diagnostics, d => d.IsError);
        Assert.Equal("AV0020", error.Code);
        Assert.Equal("a mask of shape [B, 128] cannot select rows of a tensor of shape [B, 512, 64]", error.Message);
        Assert.Equal("target[view.masked]", file.Source.Text.Substring(error.Span.Start, error.Span.Length));
    }

    /// <summary>Before: "its leading dimensions differ from another input's", for a last dimension, without the other shape.</summary>
    [Fact]
    public void A_variadic_mismatch_shows_both_operands_shapes()
    {
        var file = Compile(TinyMae.Replace("outputs: 256", "outputs: 128"));
        var error = Assert.Single(file.Diagnostics, d => d.IsError);
        Assert.Equal("AV0020", error.Code);
        Assert.Equal("`mse` expects `target` as [*S], but it is [M, 256]: *S is [M, 256] here but [M, 128] in `prediction`", error.Message);

        var rule = ShapeRuleParser.Parse("prediction: [*S], target: [*S] -> []", out _)!;
        var shape = (int last) => new TensorShape(new[] { Dim.Named("B"), Dim.Named("N"), Dim.Of(last) }.ToEquatableArray());
        var bad = ShapeInference.Apply(rule, new Dictionary<string, Value>(), new[] { shape(64), shape(128) });
        Assert.Equal("expects `target` as [*S], but it is [B, N, 128]: *S is [B, N, 128] here but [B, N, 64] in `prediction`", bad.Mismatch);
    }

    [Fact]
    public void Rules_compute_from_arguments_and_unify_symbols()
    {
        var rule = ShapeRuleParser.Parse("a: [*S, n], b: [*S, n] -> [*S, n * 2]", out var error)!;
        Assert.Null(error);
        var shape = (params object[] dims) => new TensorShape(dims.Select(d => d is int i ? Dim.Of(i) : Dim.Named((string)d)).ToEquatableArray());
        var arguments = new Dictionary<string, Value>();

        var ok = ShapeInference.Apply(rule, arguments, new[] { shape("B", 3, 4), shape("B", 3, 4) });
        Assert.Equal("[B, 3, 8]", ok.Output!.ToString());

        var bad = ShapeInference.Apply(rule, arguments, new[] { shape("B", 3, 4), shape("B", 3, 5) });
        Assert.Equal(1, bad.MismatchInput);
        Assert.Equal("expects `b` as [*S, 4], but it is [B, 3, 5]: dimension 3 is 5, not 4", bad.Mismatch);

        Assert.Null(ShapeRuleParser.Parse("x: [B, T -> [B]", out var malformed));
        Assert.Contains("expected", malformed);
    }

    [Fact]
    public void Symbolic_sums_cancel_so_a_split_gives_back_the_second_operand()
    {
        var k = Dim.Named("K").Plus(1);
        var k2 = Dim.Named("K2").Plus(1);
        var joined = k.Add(k2, 1);
        Assert.Equal("K+K2+2", joined.ToString());
        Assert.Equal(k2, joined.Add(k, -1));
        Assert.Equal(Dim.Named("K2"), joined.Add(k, -1).Plus(-1));
        Assert.Equal(Dim.Of(0), joined.Add(joined, -1));
        Assert.Equal("2*K+K2+3", joined.Add(k, 1).ToString());
        Assert.Equal("K-K2", Dim.Named("K").Add(Dim.Named("K2"), -1).ToString());
        Assert.Equal(Dim.Named("(a*b)"), Dim.Named("(a*b)").Add(Dim.Named("K"), 1).Add(Dim.Named("K"), -1));
    }

    [Fact]
    public void Several_patterns_may_read_one_result_input_and_the_inputs_after_it_stay_in_place()
    {
        var rule = ShapeRuleParser.Parse(
            "scores.audio: [B, Na], scores.video: [B, Nv], past: [M, D] -> audio.probability: [B, Na], video.probability: [B, Nv], summary: [B, D]", out var error)!;
        Assert.Null(error);
        var shape = (params object[] dims) => new TensorShape(dims.Select(d => d is int i ? Dim.Of(i) : Dim.Named((string)d)).ToEquatableArray());
        var scores = new Dictionary<string, TensorShape> { ["audio"] = shape("B", 128), ["video"] = shape("B", 64) };

        var ok = ShapeInference.Apply(rule, new Dictionary<string, Value>(), new object[] { scores, shape("R", 32) });
        Assert.Null(ok.Mismatch);
        Assert.Equal("[B, 128]", ok.Members!["audio.probability"].ToString());
        Assert.Equal("[B, 64]", ok.Members["video.probability"].ToString());
        Assert.Equal("[B, 32]", ok.Members["summary"].ToString());

        var bad = ShapeInference.Apply(rule, new Dictionary<string, Value>(), new object[] { scores, shape("R", 32, 2) });
        Assert.Equal(1, bad.MismatchInput); // `past`, the second input, though the third pattern
    }
}
