using System.Globalization;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Text;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AvDsl.Dsl.Tests;

public class SpecPrinterTests
{
    /// <summary>Lines locate the model in its file; printed text has its own layout, so compare without them.</summary>
    private static readonly SourceLocation Nowhere = new("", 0);

    private static Spec WithoutLines(Spec spec) => spec with
    {
        Line = 0,
        Inputs = spec.Inputs.Select(i => i with { Location = Nowhere }).ToEquatableArray(),
        Components = spec.Components.Select(c => c with { Location = Nowhere }).ToEquatableArray(),
        Flow = spec.Flow.Select(f => f with { Location = Nowhere }).ToEquatableArray(),
        Losses = spec.Losses.Select(l => l with { Location = Nowhere }).ToEquatableArray(),
        Params = spec.Params.Select(p => p with { Location = Nowhere }).ToEquatableArray(),
    };

    private static Spec Bind(string text)
    {
        var file = SpecCompiler.Compile("spec.avml", text, TestCatalog.Instance);
        Assert.True(!file.HasErrors, string.Join("\n", file.Diagnostics) + "\n" + text);
        return Assert.Single(file.Specs);
    }

    [Fact]
    public void Printed_tiny_spec_binds_back_to_an_equal_model_with_every_default_written()
    {
        var spec = Bind(SpecText.Read("tiny-mae.avml"));
        var printed = SpecPrinter.Print(spec);

        Assert.Contains("patches = patch_embed_2d(patch: 16, dim: 64, channels: 1)", printed);
        Assert.Contains("view = random_mask(tokens, ratio: 0.75)", printed);
        Assert.Contains("optimizer: adamw(betas: [0.9, 0.95], eps: 1e-08, weight_decay: 0.05, layer_decay: 1.0)", printed);
        Assert.Equal(WithoutLines(spec), WithoutLines(Bind(printed)));
        Assert.Equal(printed, SpecPrinter.Print(Bind(printed)));
    }

    /// <summary>Generated specs within the components' constraints: random sizes, ratios, schedules, metadata strings and
    /// optional settings, with the width, the depth and the batch written in place or as params.</summary>
    public static Gen<string> Specs() =>
        from spec in Literals()
        from width in Gen.Elements(false, true)
        from depth in Gen.Elements(false, true)
        from batch in Gen.Elements(false, true)
        select WithParams(spec, width, depth, batch);

    /// <summary>The spec with some of its values as params: `param width = …` named by both components' `dim` and read
    /// by the loss, `depth` by the encoder, `batch_size` by `train`.</summary>
    private static string WithParams(string spec, bool width, bool depth, bool batch)
    {
        var lines = spec.Split('\n').ToList();
        var declarations = new List<string>();
        string Take(string pattern, string name)
        {
            var match = System.Text.RegularExpressions.Regex.Match(spec, pattern);
            declarations.Add($"  param {name} = {match.Groups[1].Value}");
            return match.Groups[1].Value;
        }
        if (width)
        {
            var value = Take(@"dim: (\d+)\)", "width");
            spec = spec.Replace($"dim: {value}", "dim: width").Replace("mse(hidden, hidden)", "mse(hidden, hidden) / sqrt(width)");
        }
        if (depth) spec = spec.Replace($"depth: {Take(@"depth: (\d+)", "depth")},", "depth: depth,");
        if (batch) spec = spec.Replace($"batch: {Take(@"batch: (\d+)", "batch_size")} ", "batch: batch_size ");
        return declarations.Count == 0 ? spec : spec.Replace("  input audio:", string.Join("\n", declarations) + "\n  input audio:");
    }

    private static Gen<string> Literals() =>
        from depth in Gen.Choose(1, 24)
        from heads in Gen.Choose(1, 16)
        from dim in Gen.Choose(1, 4).Select(width => width * heads) // a multiple of heads, as transformer's [Constraint] asks
        from ratio in Gen.Choose(1, 999).Select(r => r / 1000.0)
        from lr in Gen.Choose(1, 100000).Select(r => r * 1e-7)
        from steps in Gen.Choose(1, 1_000_000)
        from norm in Gen.Elements("pre", "post")
        from schedule in Gen.Elements("constant(value: {0})", "linear(from: {0}, to: 0.0)", "cosine(from: {0}, to: 1e-6)", "warmup_cosine(peak: {0}, warmup: 7)")
        from title in TrickyStrings()
        from clip in Gen.Elements("", "clip: 4\n", "clip: 0.5\n")
        from scaled in Gen.Elements("", " / sqrt(64)", " * 2 + 0")
        from path in TrickyStrings()
        from data in Gen.Elements("synthetic_spectrograms()", $"manifest(path: \"{path}\")")
        select string.Format(CultureInfo.InvariantCulture, @"spec Gen {{
  title ""{0}""
  input audio: fbank(mel: 32, frames: 64)
  patches = patch_embed_2d(patch: 8, dim: {1})
  encoder = transformer(depth: {2}, dim: {1}, heads: {3}, norm: {4})
  flow {{
    tokens = patches(audio)
    view = random_mask(tokens, ratio: {5})
    hidden = encoder(view.visible)
  }}
  loss l = mse(hidden, hidden){9}
  train {{ optimizer: adamw() lr: {6} steps: {7} batch: 2 {8}}}
  data {{ train: {10} }}
}}
", title, dim, depth, heads, norm, ratio.ToString("R", CultureInfo.InvariantCulture), string.Format(CultureInfo.InvariantCulture, schedule, lr.ToString("R", CultureInfo.InvariantCulture)), steps, clip, scaled, data);

    /// <summary>String contents as written in .avml (between the quotes): escapes, comment markers, brackets, a
    /// backslash before an `n` that is not a newline, non-ASCII text.</summary>
    public static Gen<string> TrickyStrings() =>
        from parts in Gen.Elements("plain", "\\\"", "\\\\", "\\\\n", "*/", "/*", "//", "(", "]", "{", " ", "ünïcödé", "\t").ArrayOf()
        select string.Concat(parts.Take(6));

    [Fact]
    public void Print_then_bind_is_the_identity_and_print_is_idempotent()
    {
        Prop.ForAll(Specs().ToArbitrary(), text =>
        {
            var spec = Bind(text);
            var printed = SpecPrinter.Print(spec);
            var again = Bind(printed);
            return WithoutLines(spec) == WithoutLines(again) && printed == SpecPrinter.Print(again);
        }).QuickCheckThrowOnFailure();
    }
}
