namespace AvDsl.Cli.Pictures;

/// <summary>A program and its arguments, printed as one line a POSIX shell runs as it is (arguments quoted where needed).</summary>
public sealed record ShellCommand(string Program, IReadOnlyList<string> Arguments)
{
    public override string ToString() => string.Join(" ", Arguments.Prepend(Program).Select(Quote));

    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "_-./%=:,+@".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";
}
