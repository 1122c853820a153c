namespace AvDsl.Runtime.Training;

/// <summary>How to run a plan: where runs go, an optional step-count override, or an explicit (new or empty) run directory.</summary>
public sealed record RunOptions(string RunRoot = "runs", long? Steps = null, string? RunDirectory = null);
