namespace AvDsl.Runtime.Training;

/// <summary>One optimizer step as logged: 1-based step, loss, learning rate used, wall time, the loss terms, and the
/// run's length in steps (known only once the data is open when a spec counts epochs).</summary>
public sealed record StepRecord(long Step, double Loss, double LearningRate, double StepMs, IReadOnlyDictionary<string, double> Terms, long TotalSteps = 0);
