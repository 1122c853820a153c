using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using Xunit;

namespace AvDsl.Dsl.Tests;

/// <summary><c>teacher = pretrained(spec: …, run: "…", of: […])</c>: a teacher whose weights come from another run, and
/// what is checked about it before anything runs.</summary>
public class PretrainedTeacherTests
{
    private static readonly string TinyMae = SpecText.Read("tiny-mae.avml");

    /// <summary>TinyMae as stage 1, and a stage 2 whose targets are the frozen stage-1 encoder's outputs.</summary>
    private static string Stage2(string teacher = "pretrained(spec: TinyMae, run: \"runs/tiny\", of: [patches, encoder])", string extra = "") => TinyMae + $$"""

        spec Stage2 extends TinyMae {
          teacher = {{teacher}}
          decoder.outputs = 64

          flow {
            whole  = teacher.encoder(teacher.patches(audio) + pos())
            target = whole
          }
        {{extra}}
        }

        """;

    private static SpecFile Compile(string text) => SpecCompiler.Compile("spec.avml", text, TestCatalog.Instance);

    private static Spec Named(SpecFile file, string name) => Assert.Single(file.Specs, s => s.Name == name);

    private static string SpanText(SpecFile file, Diagnostic d) => file.Source.Text.Substring(d.Span.Start, d.Span.Length);

    private static Diagnostic SingleError(SpecFile file) => Assert.Single(file.Diagnostics, d => d.IsError);

    [Fact]
    public void A_pretrained_teacher_names_a_spec_a_run_and_the_components_it_copies()
    {
        var file = Compile(Stage2());

        Assert.True(file.Diagnostics.Count == 0, string.Join("\n", file.Diagnostics));
        var spec = Named(file, "Stage2");
        var teacher = Assert.IsType<PretrainedTeacherModel>(Assert.Single(spec.Teachers));
        Assert.Equal(("TinyMae", "runs/tiny"), (teacher.Spec, teacher.Run));
        Assert.Equal(new[] { "patches", "encoder" }, teacher.Of);
        var whole = Assert.IsType<Invoke>(spec.Flow.Single(f => f.Name == "whole").Value);
        Assert.Equal(("encoder", "teacher"), (whole.Instance, whole.Teacher));
    }

    [Fact]
    public void New_flow_values_written_above_a_replaced_one_go_before_it()
    {
        var spec = Named(Compile(Stage2()), "Stage2");

        // `target` keeps its place after `pred`; `whole`, written above it, comes right before it.
        Assert.Equal(new[] { "tokens", "view", "hidden", "pred", "whole", "target" }, spec.Flow.Select(f => f.Name));
        Assert.Equal("[B, 128, 64]", spec.Flow.Single(f => f.Name == "target").Shape);
    }

    [Fact]
    public void The_printed_spec_writes_the_teacher_spec_as_a_string_and_binds_back_alone()
    {
        var spec = Named(Compile(Stage2()), "Stage2");
        var printed = SpecPrinter.Print(spec);

        Assert.Contains("  teacher = pretrained(spec: \"TinyMae\", run: \"runs/tiny\", of: [patches, encoder])\n", printed);
        // A run's spec.avml holds this spec alone: TinyMae is not there to check, so the string is not checked.
        var again = Compile(printed);
        Assert.False(again.HasErrors, string.Join("\n", again.Diagnostics) + "\n" + printed);
        var bound = Assert.Single(again.Specs);
        Assert.Equal(printed, SpecPrinter.Print(bound));
        Assert.Equal(spec.Teachers.Single() with { Location = new("", 0) }, bound.Teachers.Single() with { Location = new("", 0) });
    }

    [Fact]
    public void An_unknown_spec_is_an_error_at_its_name_with_the_near_miss()
    {
        var file = Compile(Stage2("pretrained(spec: TinyMea, run: \"runs/tiny\", of: [patches, encoder])"));

        var d = SingleError(file);
        Assert.Equal(DiagnosticCodes.UnknownSpec.Code, d.Code);
        Assert.Equal("TinyMea", SpanText(file, d));
        Assert.Equal("no spec named `TinyMea` to take the teacher from", d.Message);
        Assert.Equal("did you mean `TinyMae`?", d.Help);
    }

    [Fact]
    public void Copies_must_be_components_of_this_spec()
    {
        var file = Compile(Stage2("pretrained(spec: TinyMae, run: \"runs/tiny\", of: [patches, encodr])"));

        var d = SingleError(file);
        Assert.Equal(DiagnosticCodes.UnknownName.Code, d.Code);
        Assert.Equal("encodr", SpanText(file, d));
        Assert.Equal("did you mean `encoder`?", d.Help);
    }

    [Fact]
    public void Copies_must_be_components_of_the_teacher_spec_too()
    {
        // Stage2 declares a component TinyMae does not have, and copies it.
        var file = Compile(Stage2("pretrained(spec: TinyMae, run: \"runs/tiny\", of: [patches, probe])",
            extra: "  probe = cls_token(dim: 64)\n  loss probed = mse(probe(hidden), probe(hidden))\n"));

        var d = SingleError(file);
        Assert.Equal(DiagnosticCodes.TeacherSpec.Code, d.Code);
        Assert.Equal("probe", SpanText(file, d));
        Assert.Equal("spec `TinyMae` has no component `probe` to load the teacher's copy from", d.Message);
    }

    [Fact]
    public void A_copy_of_another_component_kind_than_the_teacher_spec_has_is_an_error_with_a_note_there()
    {
        // The same [1, 128, 64] table, of another component.
        var text = Stage2("pretrained(spec: TinyMae, run: \"runs/tiny\", of: [patches, pos, encoder])",
            extra: "  pos = sincos_3d(dim: 64, grid: [2, 8, 8])\n");
        var file = Compile(text);

        var d = SingleError(file);
        Assert.Equal(DiagnosticCodes.TeacherSpec.Code, d.Code);
        Assert.Equal(text.IndexOf("pos, encoder])", StringComparison.Ordinal), d.Span.Start);
        Assert.Equal("`pos` is a `sincos_3d` here but a `sincos_2d` in spec `TinyMae`, so its weights cannot load", d.Message);
        var note = Assert.Single(d.Notes);
        Assert.Equal(12, note.Line); // TinyMae's `pos = sincos_2d(…)`
    }

    [Theory]
    [InlineData("pretrained(spec: TinyMae, of: [encoder])", "pretrained", "`pretrained` needs `run`")]
    [InlineData("pretrained(spec: TinyMae, runs: \"r\", of: [encoder])", "runs", "`pretrained` has no argument `runs`")]
    [InlineData("pretrained(spec: TinyMae, run: 3, of: [encoder])", "3", "`run` must be a string: the run directory of that spec, such as `run: \"runs/mavil\"`")]
    [InlineData("pretrained(spec: 3, run: \"r\", of: [encoder])", "3", "`spec` names the spec the teacher's run trained, such as `spec: Mavil`")]
    [InlineData("pretrained(spec: TinyMae, run: \"r\", of: encoder)", "encoder", "`of` must list component names, such as `[patches, encoder]`")]
    public void Arguments_are_checked_like_a_component_s(string teacher, string underlined, string message)
    {
        var file = Compile(Stage2(teacher));

        var d = SingleError(file);
        Assert.Equal(underlined, SpanText(file, d));
        Assert.Equal(message, d.Message);
    }

    [Fact]
    public void A_string_spec_names_a_spec_the_file_cannot_see()
    {
        var file = Compile(Stage2("pretrained(spec: \"Elsewhere\", run: \"runs/x\", of: [patches, encoder])"));

        Assert.False(file.HasErrors, string.Join("\n", file.Diagnostics));
        Assert.Equal("Elsewhere", Assert.IsType<PretrainedTeacherModel>(Named(file, "Stage2").Teachers.Single()).Spec);
    }

    [Fact]
    public void A_sweep_sets_the_run_by_strings_and_names_each_point_by_its_words()
    {
        var file = Compile(Stage2() + """
            sweep Seeds of Stage2 {
              zip train.seed in [0, 1], teacher.run in ["runs/tiny-seed0", "runs/tiny-seed1"]
            }
            """);

        Assert.False(file.HasErrors, string.Join("\n", file.Diagnostics));
        var points = file.Specs.Where(s => s.Variant?.Sweep == "Seeds").ToList();
        Assert.Equal(new[] { "Seeds_TrainSeed0_TeacherRunRunsTinySeed0", "Seeds_TrainSeed1_TeacherRunRunsTinySeed1" }, points.Select(p => p.Name));
        Assert.Equal(new[] { "runs/tiny-seed0", "runs/tiny-seed1" }, points.Select(p => ((PretrainedTeacherModel)p.Teachers.Single()).Run));
        Assert.Equal(new[] { 0L, 1L }, points.Select(p => p.Training.Seed));
    }

    [Fact]
    public void Diff_lists_the_teacher_s_run()
    {
        var before = Named(Compile(Stage2()), "Stage2");
        var after = Named(Compile(Stage2("pretrained(spec: TinyMae, run: \"runs/other\", of: [patches, encoder])")), "Stage2");

        Assert.Equal(new[] { "~ teacher.run: \"runs/tiny\" -> \"runs/other\"" }, SpecDiff.Compare(before, after).Select(c => c.ToString()));
    }
}
