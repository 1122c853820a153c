using AvDsl.Cli;
using AvDsl.Cli.Commands;
using AvDsl.Specs;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary><c>avdsl components</c>: the whole vocabulary, and docs/language.md's reference generated from it.</summary>
public class ComponentsCommandTests
{
    private static string Docs => Path.Combine(Repository.Root, "docs", "language.md");

    [Fact]
    public void Every_catalog_entry_is_listed_with_its_csharp_type()
    {
        var (exit, output, error) = CapturedCli.Run("components");

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Empty(error);
        var lines = output.Split('\n');
        foreach (var component in SpecCatalog.Components.Components)
        {
            var home = TypeNames.Home(component.ClrType) + (component.StaticMethod is null ? "" : "." + component.StaticMethod);
            Assert.Contains(lines, l => l.StartsWith($"  {component.Name} ", StringComparison.Ordinal) && l.Contains($" {home} "));
        }
        foreach (var function in SpecCatalog.Components.Functions)
            Assert.Contains(lines, l => l.StartsWith($"  {function.Name} ", StringComparison.Ordinal) && l.Contains(TypeNames.Home(function.ClrType)));
        Assert.Contains($"components ({SpecCatalog.Components.Components.Count})", lines);
        Assert.Contains(lines, l => l.StartsWith("  transformer ") && l.Contains("x: Tensor → Tensor") && l.Contains("A stack of TransformerBlocks"));
    }

    [Fact]
    public void The_language_reference_holds_what_the_command_prints_now()
    {
        var committed = MarkedSection.Read(File.ReadAllText(Docs));
        Assert.True(committed is not null, $"docs/language.md lost its `{MarkedSection.Begin}` … `{MarkedSection.End}` markers");

        var (_, generated, _) = CapturedCli.Run("components", "--markdown");
        Assert.True(committed == generated,
            "docs/language.md's component reference differs from the catalog: run `./avdsl components --write-docs docs/language.md` and commit it");
    }

    [Fact]
    public void Write_docs_replaces_only_the_marked_section()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "language.md");
        File.WriteAllText(path, $"# Before\n\n{MarkedSection.Begin}\nstale\n{MarkedSection.End}\n\nAfter.\n");

        var (exit, output, _) = CapturedCli.Run("components", "--write-docs", path);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("rewritten", output);
        var (_, markdown, _) = CapturedCli.Run("components", "--markdown");
        Assert.Equal($"# Before\n\n{MarkedSection.Begin}\n{markdown}{MarkedSection.End}\n\nAfter.\n", File.ReadAllText(path));

        (exit, output, _) = CapturedCli.Run("components", "--write-docs", path);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("up to date", output);
    }

    [Fact]
    public void Write_docs_refuses_a_file_without_markers()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "notes.md");
        File.WriteAllText(path, "# Notes\n");

        var (exit, _, error) = CapturedCli.Run("components", "--write-docs", path);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("has no `<!-- components:begin -->`", error);
        Assert.Equal("# Notes\n", File.ReadAllText(path));
    }
}
