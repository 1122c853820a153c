using System.CommandLine;
using AvDsl.Dsl.Binding;
using ParsedCommand = System.CommandLine.Parsing.CommandResult;

namespace AvDsl.Cli.Shell;

/// <summary>
/// Reports a command line System.CommandLine could not parse, the way the language reports a spec: an unknown command
/// or option names the near miss (<see cref="NearMiss"/>, as the binder does for components and arguments). Other
/// parse errors are printed as System.CommandLine words them.
/// </summary>
public static class CommandLineErrors
{
    public static void Write(ParseResult parsed, TextWriter error)
    {
        var command = parsed.CommandResult.Command;
        var unmatched = parsed.UnmatchedTokens.ToHashSet(StringComparer.Ordinal);
        var explained = new HashSet<string>(StringComparer.Ordinal);
        var lines = new List<string>();

        // `avdsl trian`: the word was meant as a command, so "Required command was not provided" says nothing new.
        var unknownCommand = command is RootCommand ? parsed.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-')) : null;
        if (unknownCommand is not null)
        {
            var names = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
            lines.Add($"unknown command `{unknownCommand}`; " + NearMiss.Help(unknownCommand, names, $"the commands are: {string.Join(", ", names)}"));
            explained.Add(unknownCommand);
        }

        var options = OptionNames(command);
        var tokens = parsed.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            var word = tokens[i].Value;
            if (!word.StartsWith('-') || !unmatched.Contains(word) || NearMiss.Find(word, options) is not { } near) continue;
            lines.Add($"unknown option `{word}` for `{CommandPath(parsed.CommandResult)}`; did you mean `{near}`?");
            explained.Add(word);
            // The word right after a misspelt option is most likely its value, not a stray argument.
            if (i + 1 < tokens.Count && tokens[i + 1].Value is var next && !next.StartsWith('-') && unmatched.Contains(next)) explained.Add(next);
        }

        foreach (var parseError in parsed.Errors)
        {
            if (unknownCommand is not null && parseError.SymbolResult is ParsedCommand { Command: RootCommand }) continue;
            if (explained.Any(word => parseError.Message.Contains($"'{word}'", StringComparison.Ordinal))) continue;
            lines.Add(parseError.Message);
        }

        foreach (var line in lines) error.WriteLine($"avdsl: {line}");
        error.WriteLine("Run `avdsl --help` for usage.");
    }

    // The command's own options and the recursive ones of its ancestors (--help), with their aliases.
    private static HashSet<string> OptionNames(Command command) =>
        command.Options.Concat(Ancestors(command).SelectMany(c => c.Options.Where(o => o.Recursive)))
            .SelectMany(o => o.Aliases.Prepend(o.Name)).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<Command> Ancestors(Command command) =>
        command.Parents.OfType<Command>().SelectMany(parent => Ancestors(parent).Prepend(parent));

    private static string CommandPath(ParsedCommand result) =>
        result.Parent is ParsedCommand parent ? $"{CommandPath(parent)} {result.Command.Name}" : "avdsl";
}
