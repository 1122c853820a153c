using AvDsl.Dsl.Parsing;
using AvDsl.Dsl.Syntax;
using Xunit;

namespace AvDsl.Dsl.Tests;

public class ParserTests
{
    [Fact]
    public void Parses_the_tiny_mae_spec_with_spans_on_names()
    {
        var text = SpecText.Read("tiny-mae.avml");
        var file = SpecParser.Parse("tiny-mae.avml", text);

        Assert.Empty(file.Diagnostics);
        var spec = Assert.Single(file.Specs);
        Assert.Equal("TinyMae", spec.Name);
        var encoder = spec.Members.OfType<InstanceSyntax>().Single(i => i.Name == "encoder");
        Assert.Equal("encoder", text.Substring(encoder.NameSpan.Start, encoder.NameSpan.Length));
        Assert.Equal("transformer(depth: 2, dim: 64, heads: 4, mlp: 4, norm: pre)", text.Substring(encoder.Constructor.Span.Start, encoder.Constructor.Span.Length));
        var flow = spec.Members.OfType<FlowSyntax>().Single();
        Assert.Equal(new[] { "tokens", "view", "hidden", "pred", "target" }, flow.Bindings.Select(b => b.Name));
        var loss = spec.Members.OfType<LossSyntax>().Single();
        var call = Assert.IsType<CallSyntax>(loss.Value);
        Assert.IsType<IndexSyntax>(call.Arguments[0].Value);
    }

    [Fact]
    public void Operators_bind_tighter_for_times_than_plus_and_unary_minus_folds_into_numbers()
    {
        var file = SpecParser.Parse("t.avml", "spec A {\n flow {\n  x = a + b * c - -2\n }\n}\n");
        var binding = file.Specs[0].Members.OfType<FlowSyntax>().Single().Bindings.Single();
        var minus = Assert.IsType<BinarySyntax>(binding.Value);
        Assert.Equal('-', minus.Operator);
        Assert.Equal(-2.0, Assert.IsType<NumberSyntax>(minus.Right).Value);
        var plus = Assert.IsType<BinarySyntax>(minus.Left);
        Assert.Equal('+', plus.Operator);
        Assert.Equal('*', Assert.IsType<BinarySyntax>(plus.Right).Operator);
    }

    [Fact]
    public void A_syntax_error_is_located_at_the_offending_token()
    {
        var file = SpecParser.Parse("bad.avml", "spec A {\n  encoder = transformer(depth: 2,, dim: 3)\n}\n");

        var error = Assert.Single(file.Diagnostics);
        Assert.Equal("AV0001", error.Code);
        Assert.Equal(2, error.Line);
        Assert.Equal(34, error.Column);
        Assert.Contains("found `,`", error.Message);
    }

    [Fact]
    public void Recovery_reports_every_broken_statement_and_keeps_the_good_ones()
    {
        var text = "spec A {\n  a = linear(inputs: 2 outputs: 3)\n  b = linear(inputs: 2, outputs: 3)\n  c = = linear()\n  train {\n    steps 4\n    batch: 2\n  }\n}\n";
        var file = SpecParser.Parse("bad.avml", text);

        Assert.Equal(new[] { 2, 4, 6 }, file.Diagnostics.Select(d => d.Line));
        var spec = Assert.Single(file.Specs);
        Assert.Equal("b", Assert.Single(spec.Members.OfType<InstanceSyntax>()).Name);
        Assert.Equal("batch", Assert.Single(spec.Members.OfType<SettingsBlockSyntax>().Single().Settings).Key);
    }

    [Fact]
    public void Deep_nesting_is_reported_not_overflowed()
    {
        var text = "spec A {\n flow {\n  x = " + new string('(', 10_000) + "1" + new string(')', 10_000) + "\n }\n}\n";
        var file = SpecParser.Parse("deep.avml", text);

        var error = Assert.Single(file.Diagnostics);
        Assert.Contains("nested more than", error.Message);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void An_unclosed_spec_is_reported_at_its_name()
    {
        var file = SpecParser.Parse("open.avml", "spec Open {\n  title \"x\"\n");

        var error = Assert.Single(file.Diagnostics);
        Assert.Equal((1, 6), (error.Line, error.Column));
        Assert.Contains("not closed", error.Message);
    }

    /// <summary>Before: a `)` missing at the end of a line swallowed the rest of the file and read "spec `A` is not
    /// closed" at the spec's name.</summary>
    [Fact]
    public void A_missing_closing_parenthesis_is_reported_where_it_belongs_and_the_next_line_still_parses()
    {
        var text = "spec A {\n  encoder = transformer(depth: 2, dim: 64, heads: 4\n  decoder = transformer(depth: 1, dim: 64, heads: 4)\n}\n";
        var file = SpecParser.Parse("open.avml", text);

        var error = Assert.Single(file.Diagnostics);
        Assert.Equal("expected `)` to close `transformer(`", error.Message);
        Assert.Equal((2, 52), (error.Line, error.Column));
        Assert.Equal(text.IndexOf("4\n", StringComparison.Ordinal) + 1, error.Span.Start);
        Assert.Equal("add `)` after the last argument, or `,` if more arguments follow", error.Help);
        Assert.DoesNotContain(file.Diagnostics, d => d.Message.Contains("not closed"));
        Assert.Equal("decoder", Assert.Single(file.Specs[0].Members.OfType<InstanceSyntax>()).Name);
    }

    [Fact]
    public void A_bracket_left_open_inside_the_flow_names_what_it_opens()
    {
        var text = "spec A {\n  flow {\n    x = teacher.encoder(cls(a)\n    y = take([1, 2\n    z = (a + b\n  }\n}\n";
        var file = SpecParser.Parse("open.avml", text);

        Assert.Equal(new[] { "expected `)` to close `teacher.encoder(`", "expected `]` to close `[`", "expected `)` to close `(`" },
            file.Diagnostics.Select(d => d.Message));
        Assert.Equal(new[] { 3, 4, 5 }, file.Diagnostics.Select(d => d.Line));
        Assert.Single(file.Specs);
    }

    [Fact]
    public void A_missing_comma_on_the_same_line_offers_both_the_comma_and_the_parenthesis()
    {
        var file = SpecParser.Parse("comma.avml", "spec A {\n  encoder = transformer(depth: 2 dim: 64)\n}\n");

        var error = Assert.Single(file.Diagnostics);
        Assert.Equal("expected `,` or `)` in `transformer(…)`, found `dim`", error.Message);
        Assert.Equal((2, 34), (error.Line, error.Column));
        Assert.Equal("separate arguments with `,`; `)` closes `transformer(`", error.Help);
    }

    /// <summary>Before: "unexpected the end of the line" for an unclosed string, "found the end of the file" at the end.</summary>
    [Fact]
    public void The_end_of_a_line_or_of_the_file_is_named_plainly()
    {
        var unclosed = Assert.Single(SpecParser.Parse("s.avml", "spec A {\n  title \"abc\n}\n").Diagnostics);
        Assert.Equal("the string is not closed on its line", unclosed.Message);
        Assert.Equal((2, 9), (unclosed.Line, unclosed.Column));

        var ended = SpecParser.Parse("e.avml", "spec A {\n  title ").Diagnostics;
        Assert.Contains(ended, d => d.Message == "expected a string, `.` or `=`, found end of file");
        Assert.DoesNotContain(ended, d => d.Message.Contains("the end of the"));
    }

    [Fact]
    public void Comments_are_trivia_everywhere()
    {
        var file = SpecParser.Parse("c.avml", "/* head */ spec A { // one\n  title /* inline */ \"t\" // two\n}\n// tail");
        Assert.Empty(file.Diagnostics);
        Assert.Equal("t", Assert.IsType<MetadataSyntax>(Assert.Single(file.Specs[0].Members)).Value.Value);
    }
}
