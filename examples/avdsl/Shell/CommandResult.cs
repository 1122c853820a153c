namespace AvDsl.Cli.Shell;

/// <summary>What a command returns. Commands that others compose (train, eval) derive a result that carries what
/// they produced.</summary>
public record CommandResult(ResultKind Kind)
{
    public static CommandResult Ok { get; } = new(ResultKind.Ok);
    public static CommandResult Failed { get; } = new(ResultKind.Failed);
    public static CommandResult UsageError { get; } = new(ResultKind.UsageError);

    public bool Succeeded => Kind == ResultKind.Ok;
}
