namespace AvDsl.Runtime.Training;

/// <summary>A spec compiled into a program by the generator: its name, the file and content hash it came from,
/// its resolved text, and the factory of its training plan. The generated <c>CompiledSpecs.All</c> lists them.</summary>
public sealed record CompiledSpec(string Name, string SourcePath, string SourceHash, string ResolvedSpec, Func<TrainingPlan> Plan);
