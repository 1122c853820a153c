using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Text;
using Xunit;

namespace AvDsl.Dsl.Tests;

/// <summary><c>train { groups: [group(of: […], lr_scale: …, weight_decay: …, frozen: …)] }</c></summary>
public class ParameterGroupBindingTests
{
    private static readonly string TinyMae = SpecText.Read("tiny-mae.avml");

    private static SpecFile Compile(string groups) =>
        SpecCompiler.Compile("spec.avml", TinyMae.Replace("    clip: 1.0\n", "    clip: 1.0\n    groups: " + groups + "\n"), TestCatalog.Instance);

    private static string SpanText(SpecFile file, Diagnostic d) => file.Source.Text.Substring(d.Span.Start, d.Span.Length);

    [Fact]
    public void Groups_bind_in_order_with_defaults_and_print_back()
    {
        var file = Compile("[group(of: [encoder, decoder], lr_scale: 2), group(of: [patches], frozen: true, weight_decay: 0)]");
        Assert.DoesNotContain(file.Diagnostics, d => d.IsError);
        var spec = Assert.Single(file.Specs);
        Assert.Equal(
            new[] { new ParameterGroupModel(new[] { "encoder", "decoder" }.ToEquatableArray(), 2.0, null, false), new ParameterGroupModel(new[] { "patches" }.ToEquatableArray(), 1.0, 0.0, true) },
            spec.Training.Groups);
        var printed = SpecPrinter.Print(spec);
        Assert.Contains("groups: [group(of: [encoder, decoder], lr_scale: 2.0, frozen: false), group(of: [patches], lr_scale: 1.0, weight_decay: 0.0, frozen: true)]", printed);
        Assert.Equal(printed, SpecPrinter.Print(Assert.Single(SpecCompiler.Compile("spec.avml", printed, TestCatalog.Instance).Specs)));
    }

    [Fact]
    public void A_group_names_components_of_the_spec()
    {
        var file = Compile("[group(of: [encodr], lr_scale: 2.0)]");
        var d = Assert.Single(file.Diagnostics, x => x.IsError);
        Assert.Equal("encodr", SpanText(file, d));
        Assert.Equal("`encodr` is not a component", d.Message);
        Assert.Equal("did you mean `encoder`?", d.Help);
    }

    [Fact]
    public void A_group_checks_its_settings()
    {
        var negative = Compile("[group(of: [encoder], lr_scale: -1)]");
        Assert.Equal("`group`: lr_scale must not be negative, but lr_scale = -1", Assert.Single(negative.Diagnostics, x => x.IsError).Message);

        var unknown = Compile("[group(of: [encoder], lr_scal: 2)]");
        var u = Assert.Single(unknown.Diagnostics, x => x.IsError);
        Assert.Equal("lr_scal", SpanText(unknown, u));
        Assert.Equal("did you mean `lr_scale`?", u.Help);

        var notAList = Compile("group(of: [encoder])");
        Assert.StartsWith("`groups` must be a list of `group(…)`", Assert.Single(notAList.Diagnostics, x => x.IsError).Message);
    }

    [Fact]
    public void Diff_shows_added_groups()
    {
        var plain = Assert.Single(SpecCompiler.Compile("spec.avml", TinyMae, TestCatalog.Instance).Specs);
        var grouped = Assert.Single(Compile("[group(of: [patches], frozen: true)]").Specs);
        Assert.Equal("+ train.groups = [group(of: [patches], lr_scale: 1.0, frozen: true)]", Assert.Single(SpecDiff.Compare(plain, grouped)).ToString());
    }
}
