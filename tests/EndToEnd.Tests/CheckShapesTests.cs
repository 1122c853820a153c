using System.Text.RegularExpressions;
using AvDsl.Cli;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary><c>avdsl check --shapes</c>: after the diagnostics, every input and flow value with its inferred shape.</summary>
public class CheckShapesTests
{
    [Fact]
    public void Tiny_mae_lists_each_value_with_its_shape_and_line()
    {
        var path = Repository.Spec("tiny-mae.avml");
        var (exit, output, _) = CapturedCli.Run("check", "--shapes", path);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains($"TinyMae ({path})", output);
        AssertLine(output, @"audio\s+input\s+\[B, 256, 128\]");
        var tokens = Regex.Match(output, @"^\s+tokens\s+(\d+):(\d+)\s+\[B, 128, 64\]\s*$", RegexOptions.Multiline);
        Assert.True(tokens.Success, output);
        // The line and column are where `tokens` is bound in the spec.
        var line = File.ReadAllLines(path)[int.Parse(tokens.Groups[1].Value) - 1];
        Assert.Equal("tokens", line.Substring(int.Parse(tokens.Groups[2].Value) - 1, "tokens".Length));
        AssertLine(output, @"view\s+\d+:\d+\s+not a tensor: MaskedView \(\.visible, \.masked, .*\)");
    }

    [Fact]
    public void Sweep_variants_are_counted_unless_asked_for()
    {
        var path = Repository.Spec("eat-tiny.avml");

        var (exit, output, _) = CapturedCli.Run("check", "--shapes", path);
        Assert.Equal(ExitCodes.Ok, exit);
        var skipped = Regex.Match(output, @"^(\d+) sweep variants not listed; `--variants` lists them too$", RegexOptions.Multiline);
        Assert.True(skipped.Success, output);
        // A value inherited from the base file names that file.
        AssertLine(output, @"tokens\s+eat\.avml:\d+:\d+\s+\[B, 128, 192\]");

        (_, output, _) = CapturedCli.Run("check", "--shapes", "--variants", path);
        Assert.DoesNotContain("not listed", output);
        Assert.Equal(int.Parse(skipped.Groups[1].Value) + 1, Regex.Matches(output, @"^Eat\w* .*\(.*eat-tiny\.avml\)$", RegexOptions.Multiline).Count);
    }

    [Fact]
    public void Eval_values_follow_prefixed_so_a_name_the_flow_uses_too_is_not_ambiguous()
    {
        var (exit, output, _) = CapturedCli.Run("check", "--shapes", Repository.Spec("mavil.avml"));

        Assert.Equal(ExitCodes.Ok, exit);
        AssertLine(output, @"a_hidden\s+\d+:\d+\s+\[B, K\+1, 768\]");          // the flow's: the visible patches
        AssertLine(output, @"eval\.a_hidden\s+\d+:\d+\s+\[B, 513, 768\]");     // eval's: the whole clip
        AssertLine(output, @"eval\.fused_clip\s+\d+:\d+\s+\[B, 1536\]");
    }

    [Fact]
    public void Without_the_option_check_prints_no_shapes()
    {
        var (_, output, _) = CapturedCli.Run("check", Repository.Spec("tiny-mae.avml"));

        Assert.DoesNotContain("[B, 128, 64]", output);
    }

    private static void AssertLine(string output, string pattern) =>
        Assert.True(Regex.IsMatch(output, $@"^\s*{pattern}\s*$", RegexOptions.Multiline), $"no line matches /{pattern}/ in:\n{output}");
}
