using Spectre.Console;

namespace AvDsl.Cli.Shell;

/// <summary>Where commands write: standard output, standard error, and a Spectre console over standard output for
/// tables and progress bars. Tests pass <see cref="Captured"/> writers.</summary>
public sealed record CommandOutput(TextWriter Out, TextWriter Error, IAnsiConsole Ansi)
{
    /// <summary>The process's own console.</summary>
    public static CommandOutput Console() => new(System.Console.Out, System.Console.Error, AnsiConsole.Console);

    /// <summary>Plain text into the given writers: no colours, no progress bars.</summary>
    public static CommandOutput Captured(TextWriter output, TextWriter error) => new(output, error, AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
        Out = new AnsiConsoleOutput(output),
    }));

    /// <summary>A terminal that can redraw a progress bar.</summary>
    public bool Interactive => Ansi.Profile.Capabilities.Interactive;
}
