using AvDsl.Cli.Commands;
using AvDsl.Cli.Shell;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

public class DiffCommandTests
{
    /// <summary>Before params, a width change was five rows (patches.dim, pos.dim, cls.dim, encoder.dim, decoder.dim).</summary>
    [Fact]
    public void A_width_change_is_one_line()
    {
        using var temp = new TempFolder();
        foreach (var name in new[] { "eat.avml", "eat-tiny.avml" }) File.Copy(Repository.Spec(name), Path.Combine(temp.Path, name));
        var wide = Path.Combine(temp.Path, "wide.avml");
        File.WriteAllText(wide, "import \"eat-tiny.avml\"\n\nspec EatTinyWide extends EatTiny {\n  dim = 384\n}\n");
        var tiny = Path.Combine(temp.Path, "eat-tiny.avml");
        var cli = new CapturedCli();

        Assert.Equal(CommandResult.Ok, new DiffCommand(cli.Output).Run($"{tiny}:EatTiny", $"{wide}:EatTinyWide"));
        Assert.Equal(new[] { $"--- EatTiny ({tiny})", $"+++ EatTinyWide ({wide})", "~ dim: 192 -> 384", "1 difference" },
            cli.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Writing_a_param_in_place_changes_nothing_but_the_param()
    {
        using var temp = new TempFolder();
        var written = Path.Combine(temp.Path, "written.avml");
        File.WriteAllText(written, File.ReadAllText(Repository.Spec("audio-mae.avml"))
            .Replace("  param dim  = 768      // the encoder's width\n", "").Replace("dim: dim", "dim: 768").Replace("inputs: dim", "inputs: 768"));
        var cli = new CapturedCli();

        Assert.Equal(CommandResult.Ok, new DiffCommand(cli.Output).Run(written, Repository.Spec("audio-mae.avml")));
        Assert.Equal(new[] { "+ dim = 768", "1 difference" }, cli.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2));
    }
}
