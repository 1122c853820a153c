using AvDsl.Runtime.Training;

namespace AvDsl.Cli;

/// <summary>What the CLI reads of a spec's training plan, read in this one place so that a change to
/// <see cref="TrainingPlan"/> touches one file of the CLI. The plan itself is passed on whole to the trainer.</summary>
/// <param name="Epochs">When set, the run lasts this many passes over the data instead of <paramref name="Steps"/>.</param>
/// <param name="HasEmbedding">The spec has an <c>eval { embed: … }</c>, which probes read.</param>
/// <param name="HasMediaFeatures">The spec says how its inputs are computed from media, so other manifests can be opened.</param>
public sealed record PlanSummary(string SpecName, long Steps, long? Epochs, int BatchSize, long Seed, bool HasEmbedding, bool HasMediaFeatures)
{
    public static PlanSummary Of(TrainingPlan plan) =>
        new(plan.SpecName, plan.Steps, plan.Epochs, plan.BatchSize, plan.Seed, plan.HasEmbedding, plan.Features.Count > 0);
}
