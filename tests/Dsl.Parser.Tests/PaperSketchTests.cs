using AvDsl.Dsl.Formatting;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Parsing;
using Xunit;

namespace AvDsl.Dsl.Tests;

/// <summary>The dataflow sketches of the paper systems not yet in specs/ (MAViL, DiffMAViL, STELLA; METHODS.md sections
/// 2 and 3), bound against the test catalog's sketch-only components.</summary>
public class PaperSketchTests
{
    private static readonly string Folder = Path.Combine(SpecText.RepositoryRoot, "tests", "Dsl.Parser.Tests", "Sketches");

    public static TheoryData<string> Sketches() => new() { "mavil.avml", "diffmavil.avml", "stella.avml" };

    private static string Read(string name) => File.ReadAllText(Path.Combine(Folder, name));

    /// <summary>Compiles a sketch as if it lay in Sketches/, so `import "mavil.avml"` resolves beside it.</summary>
    private static SpecFile Compile(string name, string? text = null) =>
        SpecCompiler.Compile("Sketches/" + name, text ?? Read(name), TestCatalog.Instance,
            path => path.StartsWith("Sketches/", StringComparison.Ordinal) && File.Exists(Path.Combine(Folder, path.Substring("Sketches/".Length)))
                ? Read(path.Substring("Sketches/".Length))
                : null);

    private static Spec Named(SpecFile file, string name) => Assert.Single(file.Specs, s => s.Name == name);

    private static string? Shape(Spec spec, string value) => spec.Flow.Single(f => f.Name == value).Shape;

    private static Value Arg(Spec spec, string component, string argument) => spec.FindComponent(component)!.Find(argument)!.Value;

    [Theory]
    [MemberData(nameof(Sketches))]
    public void Each_sketch_compiles_without_errors_or_warnings(string name)
    {
        var file = Compile(name);
        Assert.True(file.Diagnostics.Count == 0, string.Join("\n", file.Diagnostics.Select(d => $"{d.Line}:{d.Column} {d.Code} {d.Message} ({d.Help})")));
        Assert.NotEmpty(file.Specs);
    }

    [Theory]
    [MemberData(nameof(Sketches))]
    public void The_formatter_is_idempotent_on_each_sketch(string name)
    {
        var text = Read(name);
        var syntax = SpecParser.Parse(name, text);
        Assert.Empty(syntax.Diagnostics);
        var once = SpecFormatter.Format(syntax);
        Assert.Equal(once, SpecFormatter.Format(SpecParser.Parse(name, once)));
        Assert.Equal(text, once); // the sketches are kept in the canonical layout
    }

    [Theory]
    [MemberData(nameof(Sketches))]
    public void Each_printed_spec_binds_back_to_the_same_printed_text(string name)
    {
        foreach (var spec in Compile(name).Specs)
        {
            var printed = SpecPrinter.Print(spec);
            var again = SpecCompiler.Compile("printed.avml", printed, TestCatalog.Instance);
            Assert.False(again.HasErrors, string.Join("\n", again.Diagnostics) + "\n" + printed);
            Assert.Equal(printed, SpecPrinter.Print(Assert.Single(again.Specs)));
        }
    }

    [Fact]
    public void Mavil_follows_audio_and_video_shapes_through_fusion_and_both_decoders()
    {
        var mavil = Named(Compile("mavil.avml"), "Mavil");
        Assert.Equal(new[] { 1024L, 128L }, mavil.Inputs.Single(i => i.Name == "audio").Shape);
        Assert.Equal(new[] { 3L, 8L, 224L, 224L }, mavil.Inputs.Single(i => i.Name == "video").Shape);
        Assert.Equal("[B, 512, 768]", Shape(mavil, "a_tokens"));
        Assert.Equal("[B, 784, 768]", Shape(mavil, "v_tokens"));
        Assert.Equal("[B, K+1, 768]", Shape(mavil, "a_hidden"));
        // Visible tokens only: the fusion's length is the two visible counts plus the two CLS tokens; the video mask's
        // count is a symbol of its own (K2), not the audio mask's.
        Assert.Equal("[B, K+K2+2, 768]", Shape(mavil, "fused"));
        Assert.Equal("[B, 512, 256]", Shape(mavil, "a_target"));
        Assert.Equal("[B, 784, 1536]", Shape(mavil, "v_target"));
        Assert.Equal("[B, 512, 256]", Shape(mavil, "a_pred"));
        Assert.Equal("[B, 784, 1536]", Shape(mavil, "v_pred"));
        Assert.Equal(new[] { "a_recon", "v_recon", "inter", "a_intra", "v_intra" }, mavil.Losses.Select(l => l.Name));
        var inter = Assert.IsType<Binary>(mavil.Losses.Single(l => l.Name == "inter").Value);
        Assert.Equal(new Constant(0.01), inter.Left);
        Assert.Equal(new DoubleValue(0.1), Arg(mavil, "av_nce", "temperature"));
        Assert.Equal(new BoolValue(true), Arg(mavil, "av_nce", "bidirectional"));
        Assert.Equal(new DoubleValue(0.9), Arg(mavil, "v_view_random_mask", "ratio"));
    }

    [Fact]
    public void Mavil_fusion_over_whole_clips_is_512_plus_784_tokens_plus_two_cls()
    {
        // Test-only extension: the fusion as it runs on unmasked clips (MAViL's output and stage-2 targets).
        var file = Compile("whole.avml", """
            import "mavil.avml"
            spec MavilWhole extends Mavil {
              flow { whole = fusion(concat_tokens(a_encoder(a_cls(a_tokens)), v_encoder(v_cls(v_tokens)))) }
              loss probe = 0.0 * mse(whole, whole)
            }
            """);
        Assert.DoesNotContain(file.Diagnostics, d => d.IsError);
        Assert.Equal("[B, 1298, 768]", Shape(Named(file, "MavilWhole"), "whole"));
    }

    [Fact]
    public void Mavil_sweeps_pair_the_ratios_of_both_views()
    {
        var variants = Compile("mavil.avml").Specs.Where(s => s.Variant?.Sweep == "MavilMasking").ToList();
        Assert.Equal(4, variants.Count);
        foreach (var variant in variants)
        {
            Assert.Equal(Arg(variant, "a_view_random_mask", "ratio"), Arg(variant, "a_view2_random_mask", "ratio"));
        }
        Assert.Equal(3, Compile("mavil.avml").Specs.Count(s => s.Variant?.Sweep == "MavilTemperature"));
    }

    [Fact]
    public void DiffMavil_schedules_its_masking_ratio_and_batch_and_decodes_noised_patches()
    {
        var file = Compile("diffmavil.avml");
        var diff = Named(file, "DiffMavil");
        var ratio = Assert.IsType<ScheduleValue>(Arg(diff, "a_view_random_mask", "ratio")).Schedule;
        Assert.Equal("linear", ratio.Kind);
        Assert.Equal(new DoubleValue(0.75), ratio.Get("from"));
        Assert.Equal(new DoubleValue(0.9), ratio.Get("to"));
        Assert.Equal(new DoubleValue(0.8), ratio.Get("over"));
        Assert.Equal(new DoubleValue(0.95), Assert.IsType<ScheduleValue>(Arg(diff, "v_view2_random_mask", "ratio")).Schedule.Get("to"));
        var batch = Assert.IsType<ScheduleValue>(diff.Training.Batch).Schedule;
        Assert.Equal("piecewise", batch.Kind);
        Assert.Equal("[512.0, 768.0, 1024.0]", batch.Get("values").ToAvml());
        Assert.Equal(new IntValue(0), ((ListValue)batch.Get("at")).Items[0]);
        Assert.Equal(300000, diff.Training.Steps); // inherited from Mavil
        Assert.Equal("diffusion_decoder", diff.FindComponent("a_decoder")!.Component);
        Assert.Equal("cross_attention_decoder", diff.FindComponent("v_decoder")!.Component);
        Assert.Equal("AvDsl.Runtime.Objectives.NoisedPatches", diff.Flow.Single(f => f.Name == "a_target").Value.Type);
        Assert.Equal("[B, 512, 256]", Shape(diff, "a_pred"));
        Assert.Equal("[B, 784, 1536]", Shape(diff, "v_pred"));
        // The flow keeps MAViL's order; the child's values replace the inherited ones in place.
        Assert.Equal(Named(Compile("mavil.avml"), "Mavil").Flow.Select(f => f.Name), diff.Flow.Select(f => f.Name));
        Assert.Equal(2, file.Specs.Count(s => s.Variant?.Sweep == "DiffMavilTimesteps"));
    }

    [Fact]
    public void Stella_keeps_half_of_each_modality_and_encodes_a_fifth()
    {
        var file = Compile("stella.avml");
        var stella = Named(file, "Stella");
        Assert.Equal(new DoubleValue(0.5), Arg(stella, "a_select_select_patches", "keep"));
        Assert.Equal(new DoubleValue(0.2), Arg(stella, "a_select_select_patches", "encode"));
        Assert.Equal(new IntValue(4), Arg(stella, "a_select_select_patches", "chunk"));
        Assert.Equal(new IntValue(1), Arg(stella, "v_select_select_patches", "chunk"));
        Assert.Equal(new IntValue(2000), Arg(stella, "a_memory", "size"));
        Assert.Equal(new DoubleValue(0.4), Arg(stella, "matching", "temperature"));
        Assert.Equal(new[] { 4L, 224L, 224L }, stella.Inputs.Single(i => i.Name == "video").Shape.Skip(1));
        Assert.Equal("[B, 784, 768]", Shape(stella, "v_tokens"));
        Assert.Equal("[B, 784, 768]", Shape(stella, "v_target"));
        Assert.Equal("[B, 784, 768]", Shape(stella, "v_pred"));
        Assert.Equal("[B, 512]", Shape(stella, "a_past"));
        Assert.Equal(new DoubleValue(1e-4), stella.Training.LearningRate.Get("value"));
        Assert.Equal("[0.95, 0.999]", stella.Training.Optimizer.Get("betas").ToAvml());
        var keeps = file.Specs.Where(s => s.Variant?.Sweep == "StellaKeep").Select(s => Arg(s, "v_select_select_patches", "keep")).ToList();
        Assert.Equal(new Value[] { new DoubleValue(0.4), new DoubleValue(0.5), new DoubleValue(0.6) }, keeps);
    }
}
