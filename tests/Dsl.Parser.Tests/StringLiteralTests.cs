using AvDsl.Dsl.Formatting;
using AvDsl.Dsl.Parsing;
using AvDsl.Dsl.Syntax;
using Xunit;

namespace AvDsl.Dsl.Tests;

/// <summary>Strings hold any text on one line: `\"` and `\\` are their escapes, and nothing else is.</summary>
public class StringLiteralTests
{
    private static SpecFileSyntax Parse(string title) => SpecParser.Parse("s.avml", $"spec A {{\n  title {title}\n}}\n");

    [Fact]
    public void Quote_and_backslash_escapes_give_the_characters_and_are_written_back()
    {
        var file = Parse(@"""say \""hi\"" in C:\\temp */ \\n""");

        Assert.Empty(file.Diagnostics);
        var title = Assert.IsType<MetadataSyntax>(Assert.Single(file.Specs[0].Members)).Value;
        Assert.Equal(@"say ""hi"" in C:\temp */ \n", title.Value);
        Assert.Equal(@"""say \""hi\"" in C:\\temp */ \\n""", SpecFormatter.Expression(title));
        Assert.Contains(@"title ""say \""hi\"" in C:\\temp */ \\n""", SpecFormatter.Format(file));
    }

    /// <summary>Before: "unexpected `\`" at the backslash, with the help for a spec's members.</summary>
    [Fact]
    public void Another_escape_is_an_error_at_the_escape_that_names_the_two_escapes()
    {
        var file = Parse(@"""one\ntwo""");

        var error = Assert.Single(file.Diagnostics);
        Assert.Equal("AV0001", error.Code);
        Assert.Equal(@"`\n` is not an escape", error.Message);
        Assert.Equal(@"\n", file.File.Text.Substring(error.Span.Start, error.Span.Length));
        Assert.Equal(@"a string knows two escapes: `\""` for a quote and `\\` for a backslash", error.Help);
    }

    [Fact]
    public void Control_characters_and_csharp_line_breaks_cannot_be_written_in_a_string()
    {
        foreach (var c in new[] { '\u0007', '\u2028', '\u0085' })
        {
            var error = Assert.Single(Parse($"\"a{c}b\"").Diagnostics);
            Assert.Equal($"a string cannot hold the character U+{(int)c:X4}", error.Message);
            Assert.Equal(1, error.Span.Length);
        }
        Assert.Empty(Parse("\"tab\there\"").Diagnostics);
    }

    [Fact]
    public void Brackets_and_comment_markers_inside_strings_do_not_confuse_recovery_or_comments()
    {
        var text = "spec A {\n  title \"(( [ \\\" // /*\"\n  x = = 1\n  source \"ok\"\n}\n";
        var file = SpecParser.Parse("r.avml", text);

        var error = Assert.Single(file.Diagnostics);
        Assert.Equal(3, error.Line);
        Assert.Equal(new[] { "title", "source" }, file.Specs[0].Members.OfType<MetadataSyntax>().Select(m => m.Key));
        Assert.Equal("// real", Assert.Single(Comment.Scan("title \"a \\\" // b /* c\" // real", 0)).Text);
    }
}
