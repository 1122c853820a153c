using AvDsl.Dsl.Diagnostics;
using Xunit;

namespace AvDsl.Dsl.Tests;

/// <summary>An error that only a child spec or a sweep point causes is reported where the child or the point changes its
/// base, naming it, with the base's line as a note; the base's own errors show once, where they are.</summary>
public class ErrorCauseTests
{
    private static readonly string TinyMae = SpecText.Read("tiny-mae.avml");

    private static SpecFile Compile(string text, Dictionary<string, string>? files = null) =>
        SpecCompiler.Compile("dir/spec.avml", text, TestCatalog.Instance, path => files is not null && files.TryGetValue(path, out var t) ? t : null);

    [Fact]
    public void A_sweep_point_breaking_a_constraint_is_reported_at_its_setting_with_the_base_line_as_a_note()
    {
        var text = TinyMae + "\nsweep Heads of TinyMae {\n  grid encoder.heads in [3, 4]\n}\n";
        var file = Compile(text);

        var error = Assert.Single(file.Diagnostics, d => d.IsError);
        Assert.Equal(DiagnosticCodes.Constraint.Code, error.Code);
        Assert.StartsWith("in variant `Heads_EncoderHeads3` (encoder.heads=3): `transformer`: dim must be a multiple of heads", error.Message);
        Assert.Equal(text.IndexOf("encoder.heads in [3", StringComparison.Ordinal), error.Span.Start);
        var note = Assert.Single(error.Notes);
        Assert.Equal(text.Substring(0, text.IndexOf("dim: 64, heads: 4", StringComparison.Ordinal)).Count(c => c == '\n') + 1, note.Line);
        Assert.Contains("`TinyMae`, which checks clean on its own", note.Message);
        Assert.Contains("note: where it shows in `TinyMae`", DiagnosticRenderer.Render(error, file.FileOf(error)));
        // The clean point still binds.
        Assert.Contains(file.Specs, s => s.Name == "Heads_EncoderHeads4");
    }

    [Fact]
    public void A_child_in_another_file_is_blamed_at_its_override_not_at_the_imported_base()
    {
        var child = "import \"base.avml\"\nspec Wide extends TinyMae {\n  encoder.dim = 128\n}\n";
        var file = Compile(child, new() { ["dir/base.avml"] = TinyMae });

        var error = Assert.Single(file.Diagnostics, d => d.IsError);
        Assert.Equal("dir/spec.avml", error.Path);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("in spec `Wide`: ", error.Message);
        var note = Assert.Single(error.Notes);
        Assert.Equal("dir/base.avml", note.Path);
    }

    [Fact]
    public void An_error_of_the_base_itself_shows_once_where_it_is()
    {
        var broken = TinyMae.Replace("heads: 4, mlp", "heads: 3, mlp");
        var text = broken + "\nspec Deeper extends TinyMae {\n  encoder.depth = 4\n}\nsweep Seeds of TinyMae {\n  grid train.seed in [1, 2]\n}\n";
        var file = Compile(text);

        var error = Assert.Single(file.Diagnostics, d => d.IsError);
        Assert.Empty(error.Notes);
        Assert.DoesNotContain("in ", error.Message.Substring(0, 3));
        Assert.True(error.Span.Start < broken.Length);
    }

    [Fact]
    public void An_error_on_a_sweep_line_names_the_variant()
    {
        var text = TinyMae + "\nsweep Ratio of TinyMae {\n  grid view.ratio in [0.5, 1.5]\n}\n";
        var error = Assert.Single(Compile(text).Diagnostics, d => d.IsError);
        Assert.StartsWith("in variant `Ratio_ViewRatio1p5` (view.ratio=1.5): ", error.Message);
        Assert.Equal(text.IndexOf("1.5]", StringComparison.Ordinal), error.Span.Start);
    }
}
