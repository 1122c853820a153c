namespace AvDsl.Runtime.Training;

/// <summary>One optimizer step as logged: 1-based step, loss, learning rate used, wall time, and the loss terms.</summary>
public sealed record StepRecord(long Step, double Loss, double LearningRate, double StepMs, IReadOnlyDictionary<string, double> Terms);
