using AvDsl.Cli;
using AvDsl.Cli.Shell;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>The shell edge: a wrong command line is answered like a wrong spec (the near miss), and results become
/// the documented exit codes.</summary>
public class CommandLineTests
{
    [Fact]
    public void A_misspelt_command_names_the_command_meant()
    {
        var (exit, output, error) = CapturedCli.Run("trian");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Empty(output);
        Assert.Equal(["avdsl: unknown command `trian`; did you mean `train`?", "Run `avdsl --help` for usage."], Lines(error));
    }

    [Fact]
    public void A_word_near_no_command_lists_the_commands()
    {
        var (exit, _, error) = CapturedCli.Run("frobnicate");

        Assert.Equal(ExitCodes.Usage, exit);
        var first = Lines(error)[0];
        Assert.StartsWith("avdsl: unknown command `frobnicate`; the commands are: demo, train, check, ", first);
        Assert.DoesNotContain("did you mean", error);
        Assert.DoesNotContain("Required command", error);
    }

    [Fact]
    public void A_misspelt_option_names_the_option_meant_and_not_its_value()
    {
        var (exit, _, error) = CapturedCli.Run("train", "TinyMae", "--stpes", "3");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(["avdsl: unknown option `--stpes` for `avdsl train`; did you mean `--steps`?", "Run `avdsl --help` for usage."], Lines(error));
    }

    [Fact]
    public void A_misspelt_spec_name_names_the_spec_meant()
    {
        var (exit, _, error) = CapturedCli.Run("train", "EatTny");

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Equal("avdsl: no spec file or compiled spec named `EatTny`; did you mean `EatTiny`?", error.Trim());
    }

    [Fact]
    public void A_misspelt_spec_file_names_the_file_meant()
    {
        var (exit, _, error) = CapturedCli.Run("cost", "specs/eat-tny.avml");

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Equal("avdsl: no spec file or compiled spec named `specs/eat-tny.avml`; did you mean `specs/eat-tiny.avml`?", error.Trim());
    }

    [Fact]
    public void A_name_near_no_spec_lists_the_compiled_specs()
    {
        var (_, _, error) = CapturedCli.Run("train", "Zzzzzzzzzz");

        Assert.StartsWith("avdsl: no spec file or compiled spec named `Zzzzzzzzzz`; compiled specs: ", error);
        Assert.Contains("EatTiny", error);
    }

    [Fact]
    public void A_spec_name_in_another_case_is_the_spec()
    {
        var specs = new CapturedCli().Specs;

        Assert.Equal("TinyMae", specs.Resolve("tinymae")?.Name);
    }

    [Theory]
    [InlineData(ResultKind.Ok, 0)]
    [InlineData(ResultKind.Failed, 1)]
    [InlineData(ResultKind.UsageError, 2)]
    public void Results_map_to_the_documented_exit_codes(ResultKind kind, int exit)
    {
        Assert.Equal(exit, ExitCodes.Of(new CommandResult(kind)));
    }

    [Theory]
    [InlineData(0, "explain", "AV0003")]
    [InlineData(2, "explain", "AV9999")]        // the command's own usage error
    [InlineData(2, "check", "/nonexistent.avml")]
    [InlineData(2, "cost", "TinyMae", "--measure", "1")]
    [InlineData(1, "cost", "NoSuchSpec")]       // a failure, not a usage error
    [InlineData(2, "check")]                    // System.CommandLine's parse error
    [InlineData(0, "--help")]
    public void Commands_exit_with_the_code_of_their_result(int exit, params string[] args)
    {
        Assert.Equal(exit, CapturedCli.Run(args).Exit);
    }

    [Fact]
    public void Commands_write_errors_to_the_error_writer_and_results_to_the_output_writer()
    {
        var (_, output, error) = CapturedCli.Run("explain", "AV0003");
        Assert.StartsWith("AV0003 (error): ", output);
        Assert.Empty(error);

        (_, output, error) = CapturedCli.Run("explain", "AV9999");
        Assert.Empty(output);
        Assert.StartsWith("avdsl explain: no diagnostic `AV9999`", error);
    }

    [Fact]
    public void Help_is_written_to_the_given_output()
    {
        var (exit, output, _) = CapturedCli.Run("train", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("--checkpoint-every", output);
    }

    [Fact]
    public void The_program_answers_a_misspelt_command_as_a_user_runs_it()
    {
        var cli = Path.Combine(Repository.Root, "examples", "avdsl", "bin", ProcessRunner.Configuration, "net10.0", "avdsl.dll");
        var (exit, output) = ProcessRunner.Run(Repository.Root, "dotnet", null, cli, "trian");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("avdsl: unknown command `trian`; did you mean `train`?", output);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}
