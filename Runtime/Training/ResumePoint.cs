using System.Globalization;

namespace AvDsl.Runtime.Training;

/// <summary>The checkpoint a run resumes from, its step and the run's length, after checking that the run and the plan agree.</summary>
internal sealed record ResumePoint(string Path, long Step, long TotalSteps, int WorldSize)
{
    public static ResumePoint Find(TrainingPlan plan, string runDirectory, long? requestedSteps)
    {
        if (!Directory.Exists(runDirectory))
            throw new RunNotResumableException($"There is no run directory '{runDirectory}' to resume.");
        var specPath = System.IO.Path.Combine(runDirectory, Trainer.SpecFileName);
        if (!File.Exists(specPath))
            throw new RunNotResumableException($"'{runDirectory}' holds no {Trainer.SpecFileName}, so it is not a run directory that can be resumed.");
        if (File.ReadAllText(specPath) != plan.ResolvedSpec)
            throw new RunNotResumableException(
                $"The run's '{specPath}' differs from the resolved text of the compiled spec {plan.SpecName}, so the run cannot resume with it.");
        if (File.Exists(System.IO.Path.Combine(runDirectory, Trainer.FinalCheckpointName)))
            throw new RunNotResumableException($"'{runDirectory}' already finished (it holds {Trainer.FinalCheckpointName}), so there is nothing to resume.");
        var newest = Trainer.StepCheckpoints(runDirectory).OrderByDescending(c => c.Step).Select(c => c.Path).FirstOrDefault()
            ?? throw new RunNotResumableException($"'{runDirectory}' holds no checkpoint-step-N.safetensors to resume from.");

        var metadata = Checkpoint.ReadMetadata(newest);
        long Read(string key) => metadata.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new RunNotResumableException($"'{newest}' has no '{key}' in its metadata, so it was not written by a resumable run.");
        var step = Read("step");
        var total = Read(Checkpoint.TotalStepsKey);
        var seed = Read("seed");
        if (seed != plan.Seed)
            throw new RunNotResumableException($"'{newest}' was trained with seed {seed} but the plan of {plan.SpecName} has seed {plan.Seed}, so the run cannot resume with it.");
        if (requestedSteps is { } requested && requested != total)
            throw new RunNotResumableException($"The run in '{runDirectory}' is {total} steps long and a resumed run keeps its length (its schedules depend on it), so it cannot be resumed as a run of {requested} steps.");
        var worldSize = metadata.TryGetValue(Checkpoint.WorldSizeKey, out var ranks) ? int.Parse(ranks, CultureInfo.InvariantCulture) : 1;
        return new ResumePoint(newest, step, total, worldSize);
    }
}
