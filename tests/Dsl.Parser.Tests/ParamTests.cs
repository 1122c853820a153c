using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Text;
using Xunit;

namespace AvDsl.Dsl.Tests;

/// <summary><c>param dim = 64</c>: a spec-level literal that arguments, flow arithmetic and train settings name.</summary>
public class ParamTests
{
    private static readonly string TinyMae = SpecText.Read("tiny-mae.avml");

    /// <summary>The tiny spec with its width, grid and batch as params.</summary>
    private static readonly string WithParams = TinyMae
        .Replace("  input audio:", "  param dim = 64\n  param grid = [16, 8]\n  param batch_size = 8\n\n  input audio:")
        .Replace("patch_embed_2d(patch: 16, dim: 64)", "patch_embed_2d(patch: 16, dim: dim)")
        .Replace("sincos_2d(dim: 64, grid: [16, 8])", "sincos_2d(dim: dim, grid: grid)")
        .Replace("transformer(depth: 2, dim: 64,", "transformer(depth: 2, dim: dim,")
        .Replace("mae_decoder(inputs: 64, dim: 64, depth: 1, heads: 4, outputs: 256, grid: [16, 8])", "mae_decoder(inputs: dim, dim: 64, depth: 1, heads: 4, outputs: 256, grid: [grid_rows, 8])")
        .Replace("  input audio:", "  param grid_rows = 16\n  input audio:")
        .Replace("target[view.masked])", "target[view.masked]) / sqrt(dim)")
        .Replace("    batch: 8\n", "    batch: batch_size\n");

    private static SpecFile Compile(string text) => SpecCompiler.Compile("spec.avml", text, TestCatalog.Instance);

    private static Spec Named(SpecFile file, string name) => Assert.Single(file.Specs, s => s.Name == name);

    private static Diagnostic Single(SpecFile file, string code) => Assert.Single(file.Diagnostics, d => d.Code == code);

    private static string SpanText(SpecFile file, Diagnostic d) => file.Source.Text.Substring(d.Span.Start, d.Span.Length);

    private static readonly SourceLocation Nowhere = new("", 0);

    /// <summary>The model with every param written in place, without lines: what a spec without params binds to.</summary>
    private static Spec Untied(Spec spec) => spec with
    {
        Line = 0,
        Params = EquatableArray<ParamModel>.Empty,
        Inputs = spec.Inputs.Select(i => i with { Location = Nowhere }).ToEquatableArray(),
        Components = spec.Components.Select(c => c with { Location = Nowhere, Arguments = c.Arguments.Select(a => a with { Param = null }).ToEquatableArray() }).ToEquatableArray(),
        Flow = spec.Flow.Select(f => f with { Location = Nowhere }).ToEquatableArray(),
        Losses = spec.Losses.Select(l => l with { Location = Nowhere }).ToEquatableArray(),
        Training = spec.Training with { Params = EquatableArray<SettingParam>.Empty },
    };

    [Fact]
    public void Uses_bind_to_the_params_value_and_remember_the_param()
    {
        var file = Compile(WithParams);

        Assert.Empty(file.Diagnostics);
        var spec = Assert.Single(file.Specs);
        Assert.Equal(new[] { "dim = 64", "grid = [16, 8]", "batch_size = 8", "grid_rows = 16" }, spec.Params.Select(p => $"{p.Name} = {p.Value.ToAvml()}"));
        Assert.Equal(new Argument("dim", new IntValue(64), ParamUse.Of("dim")), spec.FindComponent("encoder")!.Find("dim"));
        var grid = spec.FindComponent("decoder")!.Find("grid")!;
        Assert.Equal("[16, 8]", grid.Value.ToAvml());
        Assert.Equal("[grid_rows, 8]", grid.ToAvml());
        Assert.Null(spec.FindComponent("decoder")!.Find("dim")!.Param);
        Assert.Equal("batch_size", spec.Training.ParamOf("batch"));
        Assert.Equal(new IntValue(8), spec.Training.Batch);
        Assert.Contains(new ParamRef("dim", 64), Flatten(spec.Losses.Single().Value));
    }

    [Fact]
    public void A_spec_with_params_resolves_to_the_model_of_the_spec_with_the_values_written_in()
    {
        var withParams = Assert.Single(Compile(WithParams).Specs);
        var written = Assert.Single(Compile(TinyMae.Replace("target[view.masked])", "target[view.masked]) / sqrt(64)")).Specs);

        // In the flow a param stays symbolic (the generated code reads it); its value is the constant's.
        var loss = (Binary)withParams.Losses.Single().Value;
        Assert.Equal(new Sqrt(new ParamRef("dim", 64)), loss.Right);
        var constant = withParams with { Losses = withParams.Losses.Select(l => l with { Value = loss with { Right = new Sqrt(new Constant(64)) } }).ToEquatableArray() };
        Assert.Equal(Untied(written), Untied(constant));
    }

    [Fact]
    public void A_child_changes_a_param_with_name_equals_value_and_the_diff_is_one_line()
    {
        var file = Compile(WithParams + "spec Wide extends TinyMae {\n  dim = 128\n}\n");

        Assert.Empty(file.Diagnostics);
        var wide = Named(file, "Wide");
        Assert.All(new[] { ("patches", "dim"), ("pos", "dim"), ("encoder", "dim"), ("decoder", "inputs") },
            x => Assert.Equal(new IntValue(128), wide.FindComponent(x.Item1)!.Find(x.Item2)!.Value));
        Assert.Equal(new IntValue(64), wide.FindComponent("decoder")!.Find("dim")!.Value);
        Assert.Equal(new[] { "~ dim: 64 -> 128" }, SpecDiff.Compare(Named(file, "TinyMae"), wide).Select(c => c.ToString()));
    }

    [Fact]
    public void A_spec_without_params_and_one_with_the_same_values_do_not_differ()
    {
        var file = Compile(WithParams.Replace("spec TinyMae", "spec Tied").Replace(" / sqrt(dim)", "") + TinyMae);

        var changes = SpecDiff.Compare(Named(file, "TinyMae"), Named(file, "Tied")).Select(c => c.ToString()).ToList();
        Assert.Equal(new[] { "+ dim = 64", "+ grid = [16, 8]", "+ batch_size = 8", "+ grid_rows = 16" }, changes);
    }

    [Fact]
    public void Declaring_an_inherited_param_again_is_an_error_that_shows_how_to_change_it()
    {
        var file = Compile(WithParams + "spec Wide extends TinyMae {\n  param dim = 128\n}\n");

        var d = Single(file, "AV0006");
        Assert.Equal("param `dim` is declared by the spec this one extends", d.Message);
        Assert.Equal("write `dim = 128` to change its value", d.Help);
        Assert.Equal("dim", SpanText(file, d));
    }

    [Fact]
    public void Changing_a_param_that_does_not_exist_suggests_the_near_miss()
    {
        var file = Compile(WithParams + "spec Wide extends TinyMae {\n  dimm = 128\n}\n");

        var d = Single(file, "AV0017");
        Assert.Equal("there is no param `dimm` to change", d.Message);
        Assert.Equal("did you mean `dim`?", d.Help);
        Assert.Equal("dimm", SpanText(file, d));
    }

    [Fact]
    public void A_sweep_varies_a_param_by_its_name()
    {
        var file = Compile(WithParams + "sweep Width of TinyMae {\n  grid dim in [32, 128]\n}\n");

        Assert.Empty(file.Diagnostics);
        Assert.Equal(new IntValue(32), Named(file, "Width_Dim32").FindComponent("encoder")!.Find("dim")!.Value);
        var wide = Named(file, "Width_Dim128");
        Assert.Equal(new IntValue(128), wide.FindComponent("patches")!.Find("dim")!.Value);
        Assert.Equal(new[] { "~ dim: 64 -> 128" }, SpecDiff.Compare(Named(file, "TinyMae"), wide).Select(c => c.ToString()));
    }

    [Fact]
    public void An_unknown_param_in_an_argument_suggests_the_near_miss()
    {
        var file = Compile(WithParams.Replace("transformer(depth: 2, dim: dim,", "transformer(depth: 2, dim: dimm,"));

        var d = Single(file, "AV0007");
        Assert.Equal("`dimm` is not a param", d.Message);
        Assert.Equal("did you mean `dim`?", d.Help);
        Assert.Equal("dimm", SpanText(file, d));
    }

    [Fact]
    public void An_unknown_name_in_the_flow_suggests_a_param_too()
    {
        var file = Compile(WithParams.Replace("/ sqrt(dim)", "/ sqrt(dimm)"));

        var d = Single(file, "AV0007");
        Assert.Equal("`dimm` is not defined", d.Message);
        Assert.Equal("did you mean `dim`?", d.Help);
    }

    [Fact]
    public void A_param_with_the_name_of_a_flow_value_component_or_input_is_an_error_at_the_param()
    {
        foreach (var (name, what) in new[] { ("tokens", "a flow value"), ("encoder", "a component"), ("audio", "an input") })
        {
            var file = Compile(WithParams.Replace("  param dim = 64\n", $"  param dim = 64\n  param {name} = 3\n"));
            var d = Single(file, "AV0006");
            Assert.Equal($"param `{name}` has the name of {what}", d.Message);
            Assert.Equal(name, SpanText(file, d));
        }
    }

    [Fact]
    public void A_param_of_the_wrong_type_is_reported_at_the_use_naming_the_param_and_its_line()
    {
        var file = Compile(WithParams.Replace("param dim = 64", "param dim = 64.5"));

        var errors = file.Diagnostics.Where(d => d.Code == "AV0005").ToList();
        Assert.Equal(4, errors.Count); // one per use that needs a whole number
        var encoder = Assert.Single(errors, d => d.Message.StartsWith("`dim` of `transformer`", StringComparison.Ordinal));
        Assert.Equal("`dim` of `transformer` must be a whole number, found param `dim`, which is `64.5`", encoder.Message);
        Assert.Equal("dim", SpanText(file, encoder));
        var line = WithParams.Split('\n').ToList().FindIndex(l => l.Contains("param dim")) + 1;
        Assert.Equal($"`dim` is declared at line {line}", encoder.Help);
    }

    [Fact]
    public void A_child_that_sets_a_param_to_the_wrong_type_is_told_where_it_set_it()
    {
        var file = Compile(WithParams + "spec Wide extends TinyMae {\n  dim = \"wide\"\n}\n");

        var d = file.Diagnostics.First(x => x.Code == "AV0005");
        Assert.Contains("found param `dim`, which is `\"wide\"`", d.Message);
        var declared = WithParams.Split('\n').ToList().FindIndex(l => l.Contains("param dim")) + 1;
        var set = (WithParams + "spec Wide extends TinyMae {\n").Split('\n').Length;
        Assert.Equal($"`dim` is declared at line {declared} and set at line {set}", d.Help);
    }

    [Fact]
    public void A_param_never_used_is_a_warning_and_the_spec_still_binds()
    {
        var file = Compile(WithParams.Replace("  param dim = 64\n", "  param dim = 64\n  param spare = 1\n"));

        var d = Single(file, "AV0103");
        Assert.Equal(Severity.Warning, d.Severity);
        Assert.Equal("param `spare` is never used", d.Message);
        Assert.Single(file.Specs);
    }

    [Fact]
    public void A_param_named_by_a_statement_with_an_error_is_not_also_reported_unused()
    {
        var file = Compile(WithParams.Replace("patch_embed_2d(patch: 16, dim: dim)", "patch_embd_2d(patch: 16, dim: dim)")
            .Replace("  param dim = 64\n", "  param dim = 64\n  param patch = 16\n").Replace("patchify(audio, patch: 16)", "patchify(audio, patch: patch, normalise: true)"));

        Assert.Equal(new[] { "AV0002", "AV0003" }, file.Diagnostics.Select(d => d.Code));
    }

    [Fact]
    public void A_param_is_a_literal_and_cannot_compute_from_another()
    {
        var file = Compile(WithParams.Replace("  param dim = 64\n", "  param dim = 64\n  param hidden = dim * 4\n"));

        var d = Single(file, "AV0030");
        Assert.Equal("the value of param `hidden` must be a literal, found `dim * 4`", d.Message);
        Assert.Equal("dim * 4", SpanText(file, d));
    }

    [Fact]
    public void A_param_where_params_are_not_accepted_says_where_they_are()
    {
        var file = Compile(WithParams.Replace("  param dim = 64\n", "  param dim = 64\n  param frames = 256\n").Replace("fbank(mel: 128, frames: 256)", "fbank(mel: 128, frames: frames)"));

        var d = Single(file, "AV0031");
        Assert.Equal("param `frames` cannot be used in the arguments of `fbank`", d.Message);
        Assert.StartsWith("params can be used in component arguments", d.Help);
        Assert.DoesNotContain(file.Diagnostics, x => x.Code == "AV0103");

        var lr = Compile(WithParams.Replace("  param dim = 64\n", "  param dim = 64\n  param rate = 1e-3\n").Replace("lr: warmup_cosine(peak: 2e-3, warmup: 5)", "lr: rate"));
        Assert.Equal("param `rate` cannot be used in `train.lr`", Single(lr, "AV0031").Message);
    }

    [Fact]
    public void A_param_has_one_type_across_its_uses()
    {
        // A user's component whose argument is a duration: a number here, but not one C# type with `depth`'s.
        var catalog = TestCatalog.Instance with
        {
            Components = TestCatalog.Instance.Components.Append(new Catalog.ComponentSignature("warm", "User.Warm",
                new[] { new Catalog.ParameterSignature("over", "over", Catalog.ParameterKind.Duration, null) }.ToEquatableArray(),
                new[] { new Catalog.InputSignature("x", "x", Catalog.ComponentCatalog.TensorType) }.ToEquatableArray(), Catalog.ComponentCatalog.TensorType)).ToEquatableArray(),
        };
        var text = WithParams.Replace("  param dim = 64\n", "  param dim = 64\n  param n = 2\n")
            .Replace("transformer(depth: 2,", "transformer(depth: n,").Replace("  flow {", "  warmup = warm(over: n)\n\n  flow {");
        var file = SpecCompiler.Compile("spec.avml", text, catalog);

        var d = Single(file, "AV0005");
        var line = text.Split('\n').ToList().FindIndex(l => l.Contains("depth: n")) + 1;
        Assert.Equal($"param `n` is a whole number where it is first used (line {line}); here it would be {catalog.Find("warm")!.Parameters[0].TypeDescription}", d.Message);
        Assert.Equal("n", SpanText(file, d));
    }

    [Fact]
    public void Only_number_params_are_read_in_the_flow()
    {
        var file = Compile(WithParams.Replace("/ sqrt(dim)", "/ sqrt(grid)"));

        Assert.Equal("param `grid` is `[16, 8]`; the flow reads number params only", Single(file, "AV0010").Message);
    }

    [Fact]
    public void Printed_spec_with_params_binds_back_to_an_equal_model()
    {
        var spec = Assert.Single(Compile(WithParams).Specs);
        var printed = SpecPrinter.Print(spec);

        Assert.Contains("  param dim = 64\n", printed);
        Assert.Contains("encoder = transformer(dim: dim, depth: 2, heads: 4, mlp: 4.0, norm: pre)", printed);
        Assert.Contains("grid: [grid_rows, 8]", printed);
        Assert.Contains("    batch: batch_size\n", printed);
        Assert.Contains("/ sqrt(dim)", printed);
        var again = Assert.Single(Compile(printed).Specs);
        Assert.Equal(printed, SpecPrinter.Print(again));
        Assert.Equal(spec.Params.Select(p => p with { Location = Nowhere }), again.Params.Select(p => p with { Location = Nowhere }));
        Assert.Equal(spec.Components.Select(c => c.Arguments), again.Components.Select(c => c.Arguments));
    }

    private static IEnumerable<Expr> Flatten(Expr expr) => expr switch
    {
        Binary b => new[] { expr }.Concat(Flatten(b.Left)).Concat(Flatten(b.Right)),
        Sqrt s => new[] { expr }.Concat(Flatten(s.Operand)),
        _ => new[] { expr },
    };
}
