using AvDsl.Cli.Commands;
using AvDsl.Cli.Shell;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

public class CheckCommandTests
{
    [Fact]
    public void Clean_specs_exit_zero()
    {
        var cli = new CapturedCli();
        Assert.Equal(CommandResult.Ok, new CheckCommand(cli.Output).Run([Repository.Spec("tiny-mae.avml")]));
        Assert.Contains("ok: ", cli.Out);
    }

    [Fact]
    public void A_broken_spec_prints_located_errors_and_exits_one()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "broken.avml");
        File.WriteAllText(path, File.ReadAllText(Repository.Spec("tiny-mae.avml")).Replace("heads: 4, mlp: 4", "heads: 4, mpl: 4"));
        var cli = new CapturedCli();

        Assert.Equal(CommandResult.Failed, new CheckCommand(cli.Output).Run([path]));
        var lines = cli.Out.Split('\n');
        var header = Assert.Single(lines, l => l.Contains("error AV0003"));
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(path)}:\d+:\d+: error AV0003: `transformer` has no argument `mpl`$", header);
        var index = Array.IndexOf(lines, header);
        Assert.Contains("encoder = transformer(", lines[index + 2]);
        Assert.Equal("mpl", lines[index + 2].Substring(lines[index + 3].IndexOf('^'), 3));
        Assert.Contains("help: did you mean `mlp`?", lines[index + 4]);
    }

    [Fact]
    public void A_missing_file_is_a_usage_error_on_stderr()
    {
        var cli = new CapturedCli();
        Assert.Equal(CommandResult.UsageError, new CheckCommand(cli.Output).Run(["/nonexistent/x.avml"]));
        Assert.Equal("avdsl check: no such file: /nonexistent/x.avml", cli.Error.Trim());
        Assert.Empty(cli.Out);
    }
}
