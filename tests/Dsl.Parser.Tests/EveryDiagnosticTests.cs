using AvDsl.Dsl.Diagnostics;
using Xunit;

namespace AvDsl.Dsl.Tests;

/// <summary>Every diagnostic code, produced by a small edit of the tiny spec, at the exact text it points to.</summary>
public class EveryDiagnosticTests
{
    private static readonly string TinyMae = SpecText.Read("tiny-mae.avml");

    /// <summary>code, what to replace, its replacement, the text the caret must underline, a piece of the message.</summary>
    public static TheoryData<string, string, string, string, string> Cases() => new()
    {
        { "AV0001", "depth: 2, dim: 64", "depth: 2,, dim: 64", ",", "expected" },
        { "AV0002", "encoder = transformer(", "encoder = transfomer(", "transfomer", "unknown component `transfomer`" },
        { "AV0003", "heads: 4, mlp", "heads: 4, mpl", "mpl", "has no argument `mpl`" },
        { "AV0004", "patch_embed_2d(patch: 16, dim: 64)", "patch_embed_2d(patch: 16)", "patch_embed_2d", "needs the argument `dim`" },
        { "AV0005", "norm: pre", "norm: 3", "3", "`norm` of `transformer` must be one of `pre`, `post`" },
        { "AV0006", "  pos     = sincos_2d", "  patches = sincos_2d", "patches", "`patches` is declared twice" },
        { "AV0007", "pred   = decoder(hidden, view)", "pred   = decoder(hiden, view)", "hiden", "`hiden` is not defined" },
        { "AV0008", "decoder(hidden, view)", "decoder(hidden, view, view)", "decoder(hidden, view, view)", "takes 2 inputs, given 3" },
        { "AV0009", "encoder(view.visible)", "encoder(view.visibles)", "visibles", "no output `visibles`" },
        { "AV0010", "decoder(hidden, view)", "decoder(hidden, hidden)", "hidden", "must be a `MaskedView`, found a tensor" },
        { "AV0011", "    seed: 0", "    sead: 0", "sead", "`train` has no setting `sead`" },
        { "AV0012", "    batch: 8\n", "", "train", "`train` needs `batch`" },
        { "AV0013", "optimizer: adamw(", "optimizer: adam(", "adam", "unknown optimizer `adam`" },
        { "AV0014", "  loss recon = mse(pred[view.masked], target[view.masked])\n", "", "TinyMae", "has no loss" },
        { "AV0015", "spec TinyMae {", "spec TinyMae extends TinyMae {", "TinyMae", "extends itself" },
        { "AV0016", "spec TinyMae {", "spec TinyMae extends Missing {", "Missing", "no spec named `Missing`" },
        { "AV0017", "  flow {", "  encodr.depth = 1\n\n  flow {", "encodr", "`encodr` is not a component" },
        { "AV0018", "spec TinyMae {", "sweep S of TinyMae { zip encoder.depth in [1], encoder.heads in [1, 2] }\nspec TinyMae {", "zip encoder.depth in [1], encoder.heads in [1, 2]", "pairs values by position" },
        { "AV0019", "spec TinyMae {", "import \"missing.avml\"\nspec TinyMae {", "\"missing.avml\"", "cannot read" },
        { "AV0020", "encoder = transformer(depth: 2, dim: 64,", "encoder = transformer(depth: 2, dim: 32,", "view.visible", "expects `x` as [B, K, 32], but it is [B, K, 64]: dimension 3 is 64, not 32" },
        { "AV0021", "hidden = encoder(view.visible)", "hidden = broken_shape(view.visible)", "broken_shape", "the shape rule of component `broken_shape`" },
        { "AV0022", "  input audio: fbank(mel: 128, frames: 256)", "  input audio: fbank(mel: 128, frames: 256)\n  input extra: fbank(mel: 16, frames: 16)", "synthetic_spectrograms()", "feeds exactly one fbank input; spec `TinyMae` declares 2" },
        { "AV0023", "heads: 4, mlp", "heads: 3, mlp", "64", "`transformer`: dim must be a multiple of heads, but dim = 64, heads = 3" },
        { "AV0030", "  flow {", "  param hidden = 64 * 4\n\n  flow {", "64 * 4", "the value of param `hidden` must be a literal" },
        { "AV0031", "  input audio: fbank(mel: 128, frames: 256)", "  param frames = 256\n  input audio: fbank(mel: 128, frames: frames)", "frames", "param `frames` cannot be used in the arguments of `fbank`" },
        { "AV0032", "spec TinyMae {", "spec Stage1 {\n  patches = linear(inputs: 1, outputs: 1)\n}\n\nspec TinyMae {\n  teacher = pretrained(spec: Stage1, run: \"r\", of: [patches])", "patches", "`patches` is a `patch_embed_2d` here but a `linear` in spec `Stage1`" },
        { "AV0101", "  flow {", "  spare = transformer(depth: 1, dim: 8, heads: 2)\n\n  flow {", "spare", "component `spare` is never used" },
        { "AV0102", "  }\n\n  loss", "    extra = encoder(hidden)\n  }\n\n  loss", "extra", "flow value `extra` is never used" },
        { "AV0103", "  flow {", "  param spare = 1\n\n  flow {", "spare", "param `spare` is never used" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_code_points_at_the_offending_text(string code, string find, string replace, string underlined, string message)
    {
        Assert.Contains(find, TinyMae);
        var file = SpecCompiler.Compile("spec.avml", TinyMae.Replace(find, replace), TestCatalog.Instance, _ => null);

        var diagnostic = Assert.Single(file.Diagnostics, d => d.Code == code);
        Assert.Equal(underlined, file.Source.Text.Substring(diagnostic.Span.Start, diagnostic.Span.Length));
        Assert.Contains(message, diagnostic.Message);
        Assert.Equal(DiagnosticCodes.Find(code)!.Severity, diagnostic.Severity);
    }

    [Fact]
    public void The_table_covers_every_code()
    {
        var covered = Cases().Select(row => (string)row[0]).ToHashSet();
        Assert.DoesNotContain(DiagnosticCodes.All.Select(d => d.Code), c => !covered.Contains(c));
    }
}
