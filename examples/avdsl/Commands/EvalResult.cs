using AvDsl.Cli.Shell;
using AvDsl.Runtime.Evaluation;

namespace AvDsl.Cli.Commands;

/// <summary>How an evaluation ended, and its reports when they were written (the demo tabulates them): a probe's, or
/// retrieval's for the checkpoint and its random-init twin.</summary>
public sealed record EvalResult(ResultKind Kind, EvaluationReport? Report = null, RetrievalReport? Retrieval = null, RetrievalReport? RetrievalRandom = null,
    ContinualReport? Continual = null)
    : CommandResult(Kind);
