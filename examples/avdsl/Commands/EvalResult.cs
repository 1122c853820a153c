using AvDsl.Cli.Shell;
using AvDsl.Runtime.Evaluation;

namespace AvDsl.Cli.Commands;

/// <summary>How an evaluation ended, and its report when it was written (the demo tabulates them).</summary>
public sealed record EvalResult(ResultKind Kind, EvaluationReport? Report = null) : CommandResult(Kind);
