using AvDsl.Cli.Shell;

namespace AvDsl.Cli;

/// <summary>0: success; 1: the spec or run failed; 2: the command line was wrong.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public static int Of(CommandResult result) => result.Kind switch
    {
        ResultKind.Ok => Ok,
        ResultKind.Failed => Failed,
        ResultKind.UsageError => Usage,
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.Kind, null),
    };
}
