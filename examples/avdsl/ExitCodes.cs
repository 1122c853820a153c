namespace AvDsl.Cli;

/// <summary>0: success; 1: the spec or run failed; 2: the command line was wrong.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
}
