using System.CommandLine;

namespace AvDsl.Cli.Shell;

/// <summary>One <c>avdsl</c> subcommand: its syntax (name, arguments, options, help) and what it does with a parse.</summary>
public interface ICliCommand
{
    /// <summary>The command as System.CommandLine parses it; <see cref="Program"/> sets its action.</summary>
    Command Syntax { get; }

    CommandResult Invoke(ParseResult parsed, CancellationToken cancel);
}
