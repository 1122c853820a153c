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

    [Fact]
    public void Comments_are_trivia_everywhere()
    {
        var file = SpecParser.Parse("c.avml", "/* head */ spec A { // one\n  title /* inline */ \"t\" // two\n}\n// tail");
        Assert.Empty(file.Diagnostics);
        Assert.Equal("t", Assert.IsType<MetadataSyntax>(Assert.Single(file.Specs[0].Members)).Value.Value);
    }
}
