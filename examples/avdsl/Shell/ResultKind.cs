namespace AvDsl.Cli.Shell;

/// <summary>How a command ended. Only <see cref="Program"/> turns it into an exit code (<see cref="ExitCodes"/>).</summary>
public enum ResultKind
{
    Ok,
    /// <summary>The spec, the data or the run failed.</summary>
    Failed,
    /// <summary>The command line asked for something that cannot be done as written.</summary>
    UsageError,
}
