using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using Xunit;

namespace AvDsl.Dsl.Tests;

public class BinderTests
{
    private static readonly string TinyMae = SpecText.Read("tiny-mae.avml");

    private static SpecFile Compile(string text) => SpecCompiler.Compile("spec.avml", text, TestCatalog.Instance);

    /// <summary>The tiny spec with one piece of text replaced; fails loudly if the piece is not there.</summary>
    private static SpecFile CompileWith(string find, string replace)
    {
        Assert.Contains(find, TinyMae);
        return Compile(TinyMae.Replace(find, replace));
    }

    private static Diagnostic Single(SpecFile file, string code) => Assert.Single(file.Diagnostics, d => d.Code == code);

    private static string SpanText(SpecFile file, Diagnostic d) => file.Source.Text.Substring(d.Span.Start, d.Span.Length);

    [Fact]
    public void The_tiny_spec_binds_to_a_model_with_defaults_and_inline_components()
    {
        var file = Compile(TinyMae);

        Assert.Empty(file.Diagnostics);
        var spec = Assert.Single(file.Specs);
        Assert.Equal(new[] { "patches", "pos", "encoder", "decoder", "view_random_mask", "target_patchify", "recon_mse" }, spec.Components.Select(c => c.Name));
        var patches = spec.FindComponent("patches")!;
        Assert.Equal(new Argument("channels", new IntValue(1)), patches.Find("channels"));
        Assert.Equal(new EnumValue("pre"), spec.FindComponent("encoder")!.Find("norm")!.Value);
        Assert.Equal(new[] { 256L, 128L }, spec.Inputs.Single().Shape);
        Assert.Equal("AvDsl.Runtime.Nn.MaskedView", spec.Flow.Single(f => f.Name == "view").Value.Type);
        var loss = Assert.IsType<Invoke>(spec.Losses.Single().Value);
        Assert.IsType<MaskSelect>(loss.Inputs[0]);
        Assert.Equal(50, spec.Training.Steps);
        Assert.Equal(new DoubleValue(0.05), spec.Training.Optimizer.Get("weight_decay"));
        Assert.Equal(new DoubleValue(1e-8), spec.Training.Optimizer.Get("eps"));
        Assert.Equal(new DoubleValue(0.0), spec.Training.LearningRate.Get("floor"));
    }

    [Fact]
    public void Unknown_argument_points_at_the_name_and_suggests_the_near_miss()
    {
        var file = CompileWith("depth: 2, dim: 64", "deptth: 2, dim: 64");
        var d = Single(file, "AV0003");
        Assert.Equal("deptth", SpanText(file, d));
        Assert.Equal("`transformer` has no argument `deptth`", d.Message);
        Assert.Equal("did you mean `depth`?", d.Help);
        // The misspelling is the one error: `depth`, which it evidently means, is not also reported missing.
        Assert.Equal(d, Assert.Single(file.Diagnostics));
        Assert.Empty(file.Specs);
    }

    /// <summary>Before: "`transformer` needs the argument `depth`" came first, at the component, then the near miss.</summary>
    [Fact]
    public void A_misspelt_argument_is_reported_once_and_other_missing_arguments_still_are()
    {
        var file = CompileWith("depth: 2, dim: 64, heads: 4", "depht: 2, dim: 64");

        Assert.Equal(new[] { ("AV0004", "`transformer` needs the argument `heads` (a whole number)"), ("AV0003", "`transformer` has no argument `depht`") },
            file.Diagnostics.Select(x => (x.Code, x.Message)));
        Assert.Equal("did you mean `depth`?", file.Diagnostics[1].Help);
    }

    [Fact]
    public void A_misspelt_setting_is_reported_once()
    {
        var misspelt = CompileWith("    steps: 50\n", "    stepz: 50\n");
        Assert.Equal("AV0011", Assert.Single(misspelt.Diagnostics).Code);

        var missing = CompileWith("    steps: 50\n", "");
        Assert.Equal("`train` needs `steps` or `epochs`", Single(missing, "AV0012").Message);
    }

    /// <summary>Before: a flow call whose argument was wrong also warned "flow value `tokens` is never used".</summary>
    [Theory]
    [InlineData("random_mask(tokens, ratio: 0.75)", "random_mask(tokens, ratio: \"x\")", "AV0005")]
    [InlineData("mse(pred[view.masked], target[view.masked])", "mse(pred[view.masked], target[view.masked], reduction: mean)", "AV0003")]
    [InlineData("transformer(depth: 2, dim: 64,", "transformer(depth: 2, dim: \"x\",", "AV0005")]
    public void A_statement_with_an_error_counts_what_it_uses_as_used(string find, string replace, string code)
    {
        var file = CompileWith(find, replace);

        Assert.Equal(code, Assert.Single(file.Diagnostics).Code);
    }

    /// <summary>Before: "`random_mask` needs the argument `ratio`" at the component, and `tokens` unused.</summary>
    [Fact]
    public void A_value_passed_by_position_is_told_to_be_named_after_the_argument_it_evidently_is()
    {
        var file = CompileWith("random_mask(tokens, ratio: 0.75)", "random_mask(tokens, 0.75)");

        var d = Assert.Single(file.Diagnostics);
        Assert.Equal("AV0001", d.Code);
        Assert.Equal("arguments of `random_mask` are named: write `ratio: 0.75`", d.Message);
        Assert.Equal("0.75", SpanText(file, d));
        Assert.Equal("`random_mask` takes 1 input (tokens) by position, its arguments by name", d.Help);
    }

    [Fact]
    public void Several_arguments_a_positional_value_may_be_are_listed_and_a_declaration_names_the_one_missing()
    {
        var inline = CompileWith("target = patchify(audio, patch: 16)", "target = mae_decoder(hidden, view, 64)");
        var d = Single(inline, "AV0001");
        Assert.Equal("arguments of `mae_decoder` are named: write `name: 64`", d.Message);
        Assert.StartsWith("it may be `inputs`, `dim`, `depth`, `heads` or `outputs`; ", d.Help);

        var declared = CompileWith("transformer(depth: 2, dim: 64,", "transformer(2, dim: 64,");
        var e = Single(declared, "AV0001");
        Assert.Equal("arguments of `transformer` are named: write `depth: 2`", e.Message);
        Assert.Equal("inputs are passed where the component is called in the flow", e.Help);
    }

    [Fact]
    public void Missing_argument_is_reported_at_the_component()
    {
        var file = CompileWith("sincos_2d(dim: 64, grid: [16, 8])", "sincos_2d(dim: 64)");
        var d = Single(file, "AV0004");
        Assert.Equal("sincos_2d", SpanText(file, d));
        Assert.Contains("`grid`", d.Message);
    }

    [Fact]
    public void Argument_of_the_wrong_type_names_the_expected_type()
    {
        var file = CompileWith("depth: 2,", "depth: 2.5,");
        var d = Single(file, "AV0005");
        Assert.Equal("2.5", SpanText(file, d));
        Assert.Equal("`depth` of `transformer` must be a whole number, found `2.5`", d.Message);
    }

    [Fact]
    public void Unknown_enum_member_suggests_the_near_miss()
    {
        var file = CompileWith("norm: pre", "norm: pree");
        var d = Single(file, "AV0005");
        Assert.Equal("did you mean `pre`?", d.Help);
    }

    [Fact]
    public void Unknown_component_suggests_the_near_miss()
    {
        var file = CompileWith("encoder = transformer(", "encoder = transfomer(");
        var d = Single(file, "AV0002");
        Assert.Equal("transfomer", SpanText(file, d));
        Assert.Equal("did you mean `transformer`?", d.Help);
    }

    [Fact]
    public void Unknown_name_in_the_flow()
    {
        var file = CompileWith("hidden = encoder(view.visible)", "hidden = encoder(veiw.visible)");
        var d = Single(file, "AV0007");
        Assert.Equal("veiw", SpanText(file, d));
        Assert.Equal("did you mean `view`?", d.Help);
    }

    [Fact]
    public void Unknown_member_lists_the_outputs()
    {
        var file = CompileWith("encoder(view.visible)", "encoder(view.visble)");
        var d = Single(file, "AV0009");
        Assert.Equal("visble", SpanText(file, d));
        Assert.Equal("did you mean `visible`?", d.Help);
    }

    [Fact]
    public void Wrong_number_of_inputs()
    {
        var file = CompileWith("decoder(hidden, view)", "decoder(hidden)");
        var d = Single(file, "AV0008");
        Assert.Equal("`decoder` takes 2 inputs, given 1", d.Message);
        Assert.Equal("its inputs are (visible, view)", d.Help);
    }

    [Fact]
    public void Input_of_the_wrong_kind()
    {
        var file = CompileWith("decoder(hidden, view)", "decoder(hidden, hidden)");
        var d = Single(file, "AV0010");
        Assert.Equal("input `view` of `decoder` must be a `MaskedView`, found a tensor", d.Message);
    }

    [Fact]
    public void Unknown_and_missing_train_settings()
    {
        var file = CompileWith("    steps: 50\n", "    stepz: 50\n");
        var unknown = Single(file, "AV0011");
        Assert.Equal("stepz", SpanText(file, unknown));
        Assert.Equal("did you mean `steps`?", unknown.Help);
        var missing = CompileWith("    batch: 8\n", "    size: 8\n");
        Assert.Equal("size", SpanText(missing, Single(missing, "AV0011")));
        Assert.Equal("train", SpanText(missing, Single(missing, "AV0012")));
    }

    [Fact]
    public void Unknown_schedule()
    {
        var file = CompileWith("lr: warmup_cosine(", "lr: warmup_cosin(");
        var d = Single(file, "AV0013");
        Assert.Equal("did you mean `warmup_cosine`?", d.Help);
    }

    [Fact]
    public void Duplicate_names_are_errors()
    {
        var file = CompileWith("  pos     = sincos_2d", "  encoder = sincos_2d");
        Assert.Equal("encoder", SpanText(file, Single(file, "AV0006")));
    }

    [Fact]
    public void Unused_component_is_a_warning_and_the_spec_still_binds()
    {
        var file = CompileWith("  flow {", "  spare = transformer(depth: 1, dim: 8, heads: 2)\n\n  flow {");
        var d = Single(file, "AV0101");
        Assert.Equal(Severity.Warning, d.Severity);
        Assert.Equal("spare", SpanText(file, d));
        Assert.Single(file.Specs);
    }

    [Fact]
    public void A_spec_without_loss_is_an_error()
    {
        var file = CompileWith("  loss recon = mse(pred[view.masked], target[view.masked])\n", "");
        Assert.Equal("TinyMae", SpanText(file, Single(file, "AV0014")));
    }

    [Fact]
    public void Every_independent_error_is_reported_in_one_run()
    {
        var text = TinyMae.Replace("patchify(audio, patch: 16)", "patchify(audio, pach: 16)").Replace("steps: 50", "stepz: 50").Replace("view.visible", "view.visble");
        var codes = Compile(text).Diagnostics.Select(d => d.Code).ToList();
        Assert.Equal(new[] { "AV0009", "AV0003", "AV0011" }, codes);
    }

    [Fact]
    public void Errors_inside_the_inputs_of_a_broken_component_are_still_reported()
    {
        var text = TinyMae.Replace("heads: 4, mlp: 4", "heads: 4, mpl: 4").Replace("encoder(view.visible)", "encoder(view.visble)");
        var codes = Compile(text).Diagnostics.Select(d => d.Code).ToList();
        Assert.Equal(new[] { "AV0003", "AV0009" }, codes);
    }

    [Fact]
    public void Rendering_shows_location_source_line_caret_and_help()
    {
        var file = CompileWith("depth: 2, dim: 64", "deptth: 2, dim: 64");
        var rendered = DiagnosticRenderer.Render(Single(file, "AV0003"), file.Source);
        var lines = rendered.Split('\n');

        var line = TinyMae.Split('\n').ToList().FindIndex(l => l.Contains("encoder = transformer")) + 1;
        var column = TinyMae.Split('\n')[line - 1].IndexOf("depth", StringComparison.Ordinal) + 1;
        Assert.Equal($"spec.avml:{line}:{column}: error AV0003: `transformer` has no argument `deptth`", lines[0]);
        Assert.Contains("encoder = transformer(deptth: 2", lines[2]);
        var caretLine = lines[3];
        var sourceLine = lines[2];
        Assert.Equal("deptth", sourceLine.Substring(caretLine.IndexOf('^'), caretLine.Count(c => c == '^')));
        Assert.Equal("  = help: did you mean `depth`?", lines[4]);
    }

    [Fact]
    public void Every_code_has_an_explanation_and_codes_are_unique()
    {
        Assert.All(DiagnosticCodes.All, d => Assert.False(string.IsNullOrWhiteSpace(d.Explanation)));
        Assert.Equal(DiagnosticCodes.All.Count, DiagnosticCodes.All.Select(d => d.Code).Distinct().Count());
        Assert.Equal("AV0003", DiagnosticCodes.Find("av0003")!.Code);
    }

    [Fact]
    public void Device_and_precision_default_to_cpu_and_fp32_and_take_only_known_values()
    {
        var defaults = Assert.Single(Compile(TinyMae).Specs).Training;
        Assert.Equal(("cpu", "fp32"), (defaults.Device, defaults.Precision));

        var chosen = Assert.Single(CompileWith("    seed: 0\n", "    seed: 0\n    device: \"cuda:1\"\n    precision: bf16\n").Specs).Training;
        Assert.Equal(("cuda:1", "bf16"), (chosen.Device, chosen.Precision));

        var wrong = CompileWith("    seed: 0\n", "    seed: 0\n    precision: bf61\n");
        var d = Single(wrong, "AV0005");
        Assert.Equal("`precision` must be `fp32` or `bf16`, found `bf61`", d.Message);
        Assert.Equal("did you mean `bf16`?", d.Help);
    }

    [Fact]
    public void The_learning_rate_follows_a_moving_batch_by_a_declared_rule()
    {
        Assert.Equal("none", Assert.Single(Compile(TinyMae).Specs).Training.LrScaling);
        var linear = Assert.Single(CompileWith("    batch: 8\n", "    batch: linear(from: 4, to: 16)\n    lr_scaling: linear\n").Specs);
        Assert.Equal("linear", linear.Training.LrScaling);
        Assert.Contains("    lr_scaling: linear\n", SpecPrinter.Print(linear));

        var wrong = CompileWith("    batch: 8\n", "    batch: 8\n    lr_scaling: liner\n");
        var d = Single(wrong, "AV0005");
        Assert.Equal("`lr_scaling` must be `none`, `linear` or `sqrt`, found `liner`", d.Message);
        Assert.Equal("did you mean `linear`?", d.Help);
    }

    [Fact]
    public void A_non_finite_step_stops_the_run_unless_the_spec_says_skip()
    {
        var plain = Assert.Single(Compile(TinyMae).Specs);
        Assert.Equal("stop", plain.Training.NonFinite);
        Assert.DoesNotContain("non_finite", SpecPrinter.Print(plain)); // a run's resolved spec from before the setting stays the same

        var skip = Assert.Single(CompileWith("    seed: 0\n", "    seed: 0\n    non_finite: skip\n").Specs);
        Assert.Equal("skip", skip.Training.NonFinite);
        Assert.Contains("    non_finite: skip\n", SpecPrinter.Print(skip));
        Assert.Equal(["~ train.non_finite: stop -> skip"], SpecDiff.Compare(plain, skip).Select(c => c.ToString()));
        Assert.Equal("stop", Assert.Single(CompileWith("    seed: 0\n", "    seed: 0\n    non_finite: stop\n").Specs).Training.NonFinite);

        var typo = Single(CompileWith("    seed: 0\n", "    seed: 0\n    non_finite: skp\n"), "AV0005");
        Assert.Equal("`non_finite` must be `stop` or `skip`, found `skp`", typo.Message);
        Assert.Equal("did you mean `skip`?", typo.Help);

        var number = Single(CompileWith("    seed: 0\n", "    seed: 0\n    non_finite: 1\n"), "AV0005");
        Assert.StartsWith("`non_finite` must be `stop` or `skip`, found ", number.Message);

        var key = Assert.Single(CompileWith("    seed: 0\n", "    seed: 0\n    non_finte: skip\n").Diagnostics, d => d.IsError);
        Assert.Equal("`train` has no setting `non_finte`", key.Message);
        Assert.Equal("did you mean `non_finite`?", key.Help);
    }

    [Fact]
    public void The_batch_size_takes_a_whole_number_or_a_schedule()
    {
        var spec = Assert.Single(CompileWith("    batch: 8\n", "    batch: linear(from: 4, to: 16, over: 0.5)\n").Specs);
        var batch = Assert.IsType<ScheduleValue>(spec.Training.Batch);
        Assert.Equal("linear(from: 4.0, to: 16.0, over: 0.5)", batch.ToAvml());
        Assert.Contains("    batch: linear(from: 4.0, to: 16.0, over: 0.5)\n", SpecPrinter.Print(spec));

        var zero = CompileWith("    batch: 8\n", "    batch: 0\n");
        Assert.Equal("`batch` must be at least 1, found 0", Single(zero, "AV0005").Message);
    }

    [Fact]
    public void A_video_input_has_a_channels_first_shape_and_needs_media_data()
    {
        var withVideo = TinyMae.Replace("  patches = patch_embed_2d", "  input video: frames(count: 8, size: 112)\n  patches = patch_embed_2d");
        var synthetic = Compile(withVideo);
        Assert.Contains("declares 2 inputs", Single(synthetic, "AV0022").Message);

        var media = Compile(withVideo.Replace("synthetic_spectrograms()", "manifest(path: \"clips.csv\")"));
        var spec = Assert.Single(media.Specs);
        Assert.Equal(new[] { 3L, 8, 112, 112 }, spec.Inputs.Single(i => i.Name == "video").Shape);
    }

    [Fact]
    public void A_run_is_counted_in_steps_or_in_epochs_of_a_manifest()
    {
        var manifest = TinyMae.Replace("synthetic_spectrograms()", "manifest(path: \"clips.csv\")");
        var epochs = Assert.Single(Compile(manifest.Replace("    steps: 50\n", "    epochs: 3\n")).Specs).Training;
        Assert.Equal((null, 3L), (epochs.Steps, epochs.Epochs));

        var both = Compile(manifest.Replace("    steps: 50\n", "    steps: 50\n    epochs: 3\n"));
        Assert.Equal("`train` sets both `steps` and `epochs`; they say the same thing", Single(both, "AV0006").Message);

        var synthetic = Compile(TinyMae.Replace("    steps: 50\n", "    epochs: 3\n"));
        Assert.Equal("`synthetic_spectrograms` never runs out, so it has no epochs", Single(synthetic, "AV0022").Message);

        // Epochs over a moving batch last the fewest steps whose batches hold them (the trainer works it out).
        var growing = Assert.Single(Compile(manifest.Replace("    steps: 50\n", "    epochs: 3\n").Replace("    batch: 8\n", "    batch: linear(from: 4, to: 8)\n")).Specs).Training;
        Assert.Equal((null, 3L), (growing.Steps, growing.Epochs));
        Assert.IsType<ScheduleValue>(growing.Batch);
    }
}
