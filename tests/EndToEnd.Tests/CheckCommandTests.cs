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

    /// <summary>Before: "ok: x.avml (; 2 sweep variants)" for a file that holds sweeps only.</summary>
    [Fact]
    public void The_ok_line_lists_specs_and_sweep_variants_and_leaves_out_what_a_file_lacks()
    {
        using var temp = new TempFolder();
        File.Copy(Repository.Spec("tiny-mae.avml"), Path.Combine(temp.Path, "tiny-mae.avml"));
        var sweeps = Path.Combine(temp.Path, "sweeps.avml");
        File.WriteAllText(sweeps, "import \"tiny-mae.avml\"\n\nsweep Depth of TinyMae {\n  grid encoder.depth in [1, 2]\n}\n");
        var imports = Path.Combine(temp.Path, "imports.avml");
        File.WriteAllText(imports, "import \"tiny-mae.avml\"\n");
        var cli = new CapturedCli();

        Assert.Equal(CommandResult.Ok, new CheckCommand(cli.Output).Run([sweeps, imports, Repository.Spec("eat-tiny.avml")]));
        var lines = cli.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"ok: {sweeps} (2 sweep variants)", lines[0]);
        Assert.Equal($"ok: {imports}", lines[1]);
        Assert.Equal($"ok: {Repository.Spec("eat-tiny.avml")} (EatTiny; 6 sweep variants)", lines[2]);
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
