using AvDsl.Cli;
using AvDsl.Cli.Commands;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

public class CheckCommandTests
{
    [Fact]
    public void Clean_specs_exit_zero()
    {
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Ok, CheckCommand.Run(new[] { Repository.Spec("tiny-mae.avml") }, output));
        Assert.Contains("ok: ", output.ToString());
    }

    [Fact]
    public void A_broken_spec_prints_located_errors_and_exits_one()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "broken.avml");
        File.WriteAllText(path, File.ReadAllText(Repository.Spec("tiny-mae.avml")).Replace("heads: 4, mlp: 4", "heads: 4, mpl: 4"));
        var output = new StringWriter();

        Assert.Equal(ExitCodes.Failed, CheckCommand.Run(new[] { path }, output));
        var lines = output.ToString().Split('\n');
        var header = Assert.Single(lines, l => l.Contains("error AV0003"));
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(path)}:\d+:\d+: error AV0003: `transformer` has no argument `mpl`$", header);
        var index = Array.IndexOf(lines, header);
        Assert.Contains("encoder = transformer(", lines[index + 2]);
        Assert.Equal("mpl", lines[index + 2].Substring(lines[index + 3].IndexOf('^'), 3));
        Assert.Contains("help: did you mean `mlp`?", lines[index + 4]);
    }

    [Fact]
    public void A_missing_file_is_a_usage_error()
    {
        Assert.Equal(ExitCodes.Usage, CheckCommand.Run(new[] { "/nonexistent/x.avml" }, new StringWriter()));
    }
}
