using System.Text.RegularExpressions;
using AvDsl.Cli;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary><c>avdsl describe</c>: one word of the vocabulary in full, from the catalog and Runtime's doc comments.</summary>
public class DescribeCommandTests
{
    [Fact]
    public void Transformer_shows_its_arguments_defaults_constraints_and_shape_rules()
    {
        var (exit, output, error) = CapturedCli.Run("describe", "transformer");

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Empty(error);
        Assert.StartsWith("transformer: component, AvDsl.Runtime.Nn.Transformer", output);
        Assert.Contains("A stack of TransformerBlocks over tokens [B, N, D].", output);
        AssertLine(output, @"dim\s+a whole number\s+required");
        AssertLine(output, @"heads\s+a whole number\s+required");
        AssertLine(output, @"mlp\s+a number\s+default 4\.0");
        AssertLine(output, @"norm\s+one of `pre`, `post`\s+default pre");
        AssertLine(output, @"drop_path\s+a number\s+default 0\.0");
        AssertLine(output, @"dim > 0 and dim % heads == 0\s+dim must be a positive multiple of heads");
        AssertLine(output, @"name\(x\)\s+x: Tensor → Tensor");
        AssertLine(output, @"shape x: \[B, N, dim\] -> \[B, N, dim\]");
        // The further call, its rule, and the members its result offers.
        AssertLine(output, @"name\.layers\(x\)\s+x: Tensor → TransformerLayers");
        Assert.Contains("ffn: [depth, B, N, dim]", output);
        Assert.Contains("selects .output (Tensor), .layers (", output);
    }

    [Fact]
    public void Layer_average_explains_skip_under_the_argument()
    {
        var (exit, output, _) = CapturedCli.Run("describe", "layer_average");

        Assert.Equal(ExitCodes.Ok, exit);
        var lines = output.Split('\n');
        var skip = Array.FindIndex(lines, l => Regex.IsMatch(l, @"^\s+skip\s+a whole number\s+default 1$"));
        Assert.True(skip >= 0, output);
        var note = string.Join(" ", lines.Skip(skip + 1).TakeWhile(l => l.StartsWith("    ") && !Regex.IsMatch(l, @"^\s+\w+\s{2,}"))
            .Select(l => l.Trim()));
        Assert.Contains("1 drops the CLS token", note);
        AssertLine(output, @"N > skip\s+skip must leave at least one token");
        AssertLine(output, @"shape layers\.ffn: \[L, B, N, D\] -> \[B, N - skip, D\]");
    }

    [Fact]
    public void A_schedule_states_the_range_of_its_values()
    {
        var (exit, output, _) = CapturedCli.Run("describe", "linear");

        Assert.Equal(ExitCodes.Ok, exit);
        // `linear` is both a component and a schedule: both are described.
        Assert.Contains("linear: component, AvDsl.Runtime.Nn.Linear", output);
        Assert.Contains("linear: schedule, AvDsl.Runtime.Training.LinearSchedule", output);
        AssertLine(output, "its values lie between `from` and `to`");
    }

    [Fact]
    public void A_misspelt_name_suggests_the_near_miss_and_fails()
    {
        var (exit, output, error) = CapturedCli.Run("describe", "transfromer");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Empty(output);
        Assert.Equal("avdsl describe: no component, schedule, optimizer, feature kind or data source is named `transfromer`; did you mean `transformer`?",
            error.Trim());
    }

    [Fact]
    public void A_name_near_nothing_points_at_the_listing()
    {
        var (exit, _, error) = CapturedCli.Run("describe", "zzzzzzzz");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.EndsWith("`avdsl components` lists them all", error.Trim());
    }

    private static void AssertLine(string output, string pattern) =>
        Assert.True(Regex.IsMatch(output, $@"^\s*{pattern}\s*$", RegexOptions.Multiline), $"no line matches /{pattern}/ in:\n{output}");
}
