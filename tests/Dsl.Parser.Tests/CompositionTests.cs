using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Text;
using Xunit;

namespace AvDsl.Dsl.Tests;

public class CompositionTests
{
    private static readonly string TinyMae = SpecText.Read("tiny-mae.avml");

    private static SpecFile Compile(string text, Dictionary<string, string>? files = null) =>
        SpecCompiler.Compile("dir/spec.avml", text, TestCatalog.Instance, path => files is not null && files.TryGetValue(path, out var t) ? t : null);

    private static Spec Named(SpecFile file, string name) => Assert.Single(file.Specs, s => s.Name == name);

    private static Value Arg(Spec spec, string component, string argument) => spec.FindComponent(component)!.Find(argument)!.Value;

    [Fact]
    public void A_child_declaring_one_name_twice_is_an_error_at_the_second()
    {
        var text = TinyMae + """
            spec Twice extends TinyMae {
              encoder = transformer(depth: 1, dim: 64, heads: 4)
              encoder = transformer(depth: 3, dim: 64, heads: 4)
            }
            """;
        var file = Compile(text);
        var d = Assert.Single(file.Diagnostics);
        Assert.Equal(DiagnosticCodes.Duplicate.Code, d.Code);
        Assert.Equal("`encoder` is declared twice", d.Message);
        Assert.Equal(text.LastIndexOf("encoder = transformer(depth: 3", StringComparison.Ordinal), d.Span.Start);
    }

    [Fact]
    public void A_child_replaces_steps_with_epochs()
    {
        var file = Compile(TinyMae.Replace("synthetic_spectrograms()", "manifest(path: \"m.csv\")") + """
            spec ByEpochs extends TinyMae {
              train { epochs: 3 }
            }
            """);
        Assert.DoesNotContain(file.Diagnostics, d => d.IsError);
        var child = Named(file, "ByEpochs");
        Assert.Equal((null, 3L), (child.Training.Steps, child.Training.Epochs));
    }

    [Fact]
    public void A_child_inherits_everything_and_changes_what_it_names_in_order()
    {
        var file = Compile(TinyMae + """
            spec Smaller extends TinyMae {
              title "smaller"
              encoder.depth = 1
              view.ratio = 0.5
              input audio: fbank(mel: 128, frames: 128)
              pos = sincos_2d(dim: 64, grid: [8, 8])
              decoder.grid = [8, 8]
              train { steps: 10 }
              train.lr.peak = 1e-3
            }
            """);

        Assert.Empty(file.Diagnostics);
        var child = Named(file, "Smaller");
        var parent = Named(file, "TinyMae");
        Assert.Equal("smaller", child.Metadata.Title);
        Assert.Equal(parent.Metadata.Cite, child.Metadata.Cite);
        Assert.Equal(new IntValue(1), Arg(child, "encoder", "depth"));
        Assert.Equal(Arg(parent, "encoder", "heads"), Arg(child, "encoder", "heads"));
        Assert.Equal(new DoubleValue(0.5), Arg(child, "view_random_mask", "ratio"));
        Assert.Equal(new[] { 128L, 128L }, child.Inputs.Single().Shape);
        Assert.Equal(parent.Components.Select(c => c.Name), child.Components.Select(c => c.Name));
        Assert.Equal(10, child.Training.Steps);
        Assert.Equal(parent.Training.Batch, child.Training.Batch);
        Assert.Equal(new DoubleValue(1e-3), child.Training.LearningRate.Get("peak"));
        Assert.Equal(new IntValue(5), child.Training.LearningRate.Get("warmup"));
        // The resolved text of the child stands alone.
        Assert.DoesNotContain("extends", SpecPrinter.Print(child));
    }

    [Fact]
    public void A_flow_value_of_the_same_name_replaces_the_inherited_one_in_place()
    {
        var file = Compile(TinyMae + """
            spec Keep extends TinyMae {
              flow { view = random_mask(tokens, ratio: 0.9)  extra = encoder(hidden) }
              loss again = mse(extra, hidden)
            }
            """);

        var child = Named(file, "Keep");
        Assert.Equal(new[] { "tokens", "view", "hidden", "pred", "target", "extra" }, child.Flow.Select(f => f.Name));
        Assert.Equal(new[] { "recon", "again" }, child.Losses.Select(l => l.Name));
        Assert.Equal(new DoubleValue(0.9), Arg(child, "view_random_mask", "ratio"));
    }

    [Fact]
    public void A_replacement_that_uses_one_written_above_it_takes_it_up_and_others_keep_their_places()
    {
        // TinyMae computes pred before target; the child rewrites target first and has pred read it (DiffMAViL's order).
        var file = Compile(TinyMae + """
            spec Reorder extends TinyMae {
              flow {
                target = patchify(audio, patch: 16)
                view   = random_mask(tokens, ratio: 0.5)
                pred   = decoder(hidden, view) + target * 0.0
              }
            }
            """);
        var child = Named(file, "Reorder");
        Assert.Equal(new[] { "tokens", "view", "hidden", "target", "pred" }, child.Flow.Select(f => f.Name));
        Assert.DoesNotContain(file.Diagnostics, d => d.IsError);
    }

    [Fact]
    public void An_override_path_reaches_an_argument_of_the_schedule_an_argument_takes()
    {
        var file = Compile(TinyMae + """
            spec Curriculum extends TinyMae {
              flow { view = random_mask(tokens, ratio: linear(from: 0.5, to: 0.9)) }
            }
            sweep Ends of Curriculum {
              grid view.ratio.to in [0.7, 0.8]
            }
            """);
        var point = Named(file, "Ends_ViewRatioTo0p7");
        var ratio = Assert.IsType<ScheduleValue>(Arg(point, "view_random_mask", "ratio"));
        Assert.Equal("linear(from: 0.5, to: 0.7, over: 1.0)", ratio.ToAvml());

        var wrong = Compile(TinyMae + """
            spec Deep extends TinyMae {
              view.ratio.to = 0.8
            }
            """);
        Assert.Contains(wrong.Diagnostics, d => d.Message == "`view.ratio` is not a call with arguments");
    }

    [Fact]
    public void New_flow_values_written_above_a_replacement_go_before_it_and_the_others_after_the_inherited_ones()
    {
        var file = Compile(TinyMae + """
            spec Insert extends TinyMae {
              flow {
                clean  = patchify(audio, patch: 16)
                target = clean * 2.0
                extra  = encoder(hidden)
              }
              loss again = mse(extra, hidden)
            }
            """);

        Assert.False(file.HasErrors, string.Join("\n", file.Diagnostics));
        Assert.Equal(new[] { "tokens", "view", "hidden", "pred", "clean", "target", "extra" }, Named(file, "Insert").Flow.Select(f => f.Name));
    }

    [Fact]
    public void Overrides_are_checked_like_written_arguments()
    {
        var file = Compile(TinyMae + "spec Bad extends TinyMae {\n  encoder.dpeth = 1\n  encodr.depth = 1\n}\n");
        var unknownArgument = Assert.Single(file.Diagnostics, d => d.Code == "AV0003");
        Assert.Equal("did you mean `depth`?", unknownArgument.Help);
        Assert.Equal(file.Source.LineCount - 3, unknownArgument.Line);
        var unknownTarget = Assert.Single(file.Diagnostics, d => d.Code == "AV0017");
        Assert.Equal("did you mean `encoder`?", unknownTarget.Help);
        Assert.DoesNotContain(file.Specs, s => s.Name == "Bad");
    }

    [Fact]
    public void Unknown_base_and_cycles_are_errors()
    {
        var unknown = Compile("spec A extends TinyMea { }\n" + TinyMae);
        Assert.Equal("did you mean `TinyMae`?", Assert.Single(unknown.Diagnostics, d => d.Code == "AV0016").Help);

        var cycle = Compile("spec A extends B { }\nspec B extends A { }\n");
        Assert.Contains(cycle.Diagnostics, d => d.Code == "AV0015");
    }

    [Fact]
    public void A_sweep_makes_one_variant_per_point_with_names_made_of_values()
    {
        var file = Compile(TinyMae + """
            sweep Ablation of TinyMae {
              grid view.ratio in [0.5, 0.75]
              zip encoder.depth in [1, 2], encoder.heads in [2, 4]
            }
            """);

        Assert.Empty(file.Diagnostics);
        var variants = file.Specs.Where(s => s.Variant is not null).ToList();
        Assert.Equal(new[]
        {
            "Ablation_ViewRatio0p5_EncoderDepth1_EncoderHeads2",
            "Ablation_ViewRatio0p5_EncoderDepth2_EncoderHeads4",
            "Ablation_ViewRatio0p75_EncoderDepth1_EncoderHeads2",
            "Ablation_ViewRatio0p75_EncoderDepth2_EncoderHeads4",
        }, variants.Select(v => v.Name));
        var last = variants[^1];
        Assert.Equal(new IntValue(4), Arg(last, "encoder", "heads"));
        Assert.Equal(new DoubleValue(0.75), Arg(last, "view_random_mask", "ratio"));
        Assert.Equal("Ablation[view.ratio=0.75, encoder.depth=2, encoder.heads=4]", last.Variant!.DisplayName);
    }

    [Fact]
    public void Adding_a_value_to_an_axis_renames_no_existing_variant()
    {
        string[] Names(string values) => Compile(TinyMae + $"sweep S of TinyMae {{ grid encoder.depth in [{values}] }}\n")
            .Specs.Where(s => s.Variant is not null).Select(s => s.Name).ToArray();
        Assert.Subset(Names("1, 2, 3").ToHashSet(), Names("1, 3").ToHashSet());
    }

    [Fact]
    public void A_string_value_names_its_variant_by_its_words()
    {
        var file = Compile(TinyMae.Replace("synthetic_spectrograms()", "manifest(path: \"m.csv\")")
            + "sweep S of TinyMae { grid data.train.path in [\"data/a.csv\", \"runs/mavil-tiny-seed0\"] }\n");

        Assert.Empty(file.Diagnostics);
        Assert.Equal(new[] { "S_DataTrainPathDataACsv", "S_DataTrainPathRunsMavilTinySeed0" }, file.Specs.Where(s => s.Variant is not null).Select(s => s.Name));
        Assert.Equal(new StringValue("runs/mavil-tiny-seed0"), file.Specs[^1].Data.Train.Get("path"));
    }

    [Fact]
    public void Malformed_sweeps_are_errors()
    {
        var zip = Compile(TinyMae + "sweep S of TinyMae { zip encoder.depth in [1, 2], encoder.heads in [2] }\n");
        Assert.Contains(zip.Diagnostics, d => d.Code == "AV0018" && d.Message.Contains("2 and 1"));

        var wrongType = Compile(TinyMae + "sweep S of TinyMae { grid encoder.depth in [1, 2.5] }\n");
        var error = Assert.Single(wrongType.Diagnostics, d => d.IsError);
        Assert.Equal("AV0005", error.Code);
        Assert.Equal("2.5", wrongType.Source.Text.Substring(error.Span.Start, error.Span.Length));
    }

    [Fact]
    public void Imports_bring_specs_from_other_files_and_errors_there_are_located_there()
    {
        var files = new Dictionary<string, string> { ["dir/base/tiny.avml"] = TinyMae };
        var file = Compile("import \"base/tiny.avml\"\nspec Child extends TinyMae { encoder.depth = 3 }\n", files);

        Assert.Empty(file.Diagnostics);
        var child = Assert.Single(file.Specs);
        Assert.Equal(new IntValue(3), Arg(child, "encoder", "depth"));
        Assert.Equal("dir/spec.avml", child.Path);

        // An override that breaks inherited wiring is reported at the override, with the wiring it breaks as notes.
        var broken = Compile("import \"base/tiny.avml\"\nspec Child extends TinyMae { flow { view = encoder(tokens) } }\n", files);
        Assert.Contains(broken.Diagnostics, d => d.Code == "AV0009" && d.Message.Contains("`.visible`"));
        Assert.All(broken.Diagnostics, d => Assert.Equal("dir/spec.avml", d.Path));
        Assert.All(broken.Diagnostics, d => Assert.All(d.Notes, n => Assert.Equal("dir/base/tiny.avml", n.Path)));
        Assert.Contains(broken.Diagnostics, d => d.Message.Contains("`.masked`") && d.Notes.Count == 2);

        var missing = Compile("import \"nowhere.avml\"\nspec A extends TinyMae { }\n", files);
        Assert.Contains(missing.Diagnostics, d => d.Code == "AV0019" && d.Message.Contains("dir/nowhere.avml"));
    }

    [Fact]
    public void Diff_lists_exactly_the_settings_a_variant_changed_by_the_names_overrides_use()
    {
        var file = Compile(TinyMae + "sweep S of TinyMae { grid view.ratio in [0.9] }\nspec Wide extends TinyMae { loss extra = mse(hidden, hidden)\n train { batch: 16 } }\n");
        var changes = SpecDiff.Compare(Named(file, "TinyMae"), Named(file, "S_ViewRatio0p9"));
        Assert.Equal(new[] { "~ view.ratio: 0.75 -> 0.9" }, changes.Select(c => c.ToString()));

        var wide = SpecDiff.Compare(Named(file, "TinyMae"), Named(file, "Wide")).Select(c => c.ToString()).ToList();
        Assert.Equal(new[] { "~ train.batch: 8 -> 16", "+ extra_mse = mse", "+ loss.extra = mse(hidden, hidden)" }, wide);
        Assert.Empty(SpecDiff.Compare(Named(file, "Wide"), Named(file, "Wide")));
    }

    [Fact]
    public void Schedules_are_accepted_where_an_argument_can_move_and_refused_elsewhere()
    {
        var file = Compile(TinyMae.Replace("random_mask(tokens, ratio: 0.75)", "random_mask(tokens, ratio: piecewise(at: [0, 0.5, 1000], values: [0.5, 0.8, 0.9]))"));
        Assert.Empty(file.Diagnostics);
        var ratio = Assert.IsType<ScheduleValue>(Arg(file.Specs[0], "view_random_mask", "ratio"));
        Assert.Equal("piecewise(at: [0, 0.5, 1000], values: [0.5, 0.8, 0.9])", ratio.ToAvml());
        Assert.Equal(new ListValue(new Value[] { new IntValue(0), new DoubleValue(0.5), new IntValue(1000) }.ToEquatableArray()), ratio.Schedule.Get("at"));

        var fixedArgument = Compile(TinyMae.Replace("mlp: 4,", "mlp: linear(from: 2, to: 4),"));
        var error = Assert.Single(fixedArgument.Diagnostics, d => d.IsError);
        Assert.Equal("AV0005", error.Code);
        Assert.Equal("`mlp` of `transformer` cannot change during training, so it takes a number, not a schedule", error.Message);

        var badDuration = Compile(TinyMae.Replace("warmup: 5", "warmup: 1.5"));
        Assert.Equal("`warmup` of `warmup_cosine` must be a number of steps (a whole number) or a fraction of the run (0.0 to 1.0), found `1.5`",
            Assert.Single(badDuration.Diagnostics).Message);
    }

    [Fact]
    public void A_conditional_axis_varies_only_where_its_condition_holds()
    {
        var file = Compile(TinyMae + """
            sweep S of TinyMae {
              grid encoder.depth in [1, 2]
              grid decoder.depth in [1, 3] when encoder.depth == 2
            }
            """);

        Assert.Empty(file.Diagnostics);
        Assert.Equal(new[] { "S_EncoderDepth1", "S_EncoderDepth2_DecoderDepth1", "S_EncoderDepth2_DecoderDepth3" },
            file.Specs.Where(s => s.Variant is not null).Select(s => s.Name));

        var unknown = Compile(TinyMae + "sweep S of TinyMae { grid decoder.depth in [1] when encoder.depth == 2 }\n");
        Assert.Contains(unknown.Diagnostics, d => d.Code == "AV0018" && d.Message.Contains("not swept by an earlier axis"));
    }
}
