using AvDsl.Cli.Shell;
using AvDsl.Runtime.Training;

namespace AvDsl.Cli.Commands;

/// <summary>How a training ended, and the finished run when it did (the demo evaluates it).</summary>
public sealed record TrainResult(ResultKind Kind, RunResult? Run = null) : CommandResult(Kind);
