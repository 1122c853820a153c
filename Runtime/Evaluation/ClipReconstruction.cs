using AvDsl.Runtime.Data;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;

namespace AvDsl.Runtime.Evaluation;

/// <summary>
/// What a trained model reconstructs of one clip: the clip decoded into every input of the spec (through the feature cache
/// training uses), the model built with the run's weights, run in training mode so that its masks are drawn as in training,
/// under a fixed seed (the same seed, the same masks) and without gradients; for each reconstruction loss of the spec, the
/// input, the mask and the reconstruction on the host (<see cref="ReconstructedSample"/>). CPU.
/// </summary>
public static class ClipReconstruction
{
    /// <summary>The flow run once: each loss's own prediction, as in a training step.</summary>
    public static ReconstructionPass OneForwardPass { get; } = (model, batch) => model.Reconstruct(batch);

    /// <param name="checkpoint">The run's weights.</param>
    /// <param name="clip">The clip, from any manifest.</param>
    /// <param name="seed">Seeds the masks (and anything else the flow draws).</param>
    /// <param name="cacheDirectory">The raw-feature cache (<see cref="ManifestSplit.CacheFolder"/>); null to decode without one.</param>
    /// <param name="pass">How the reconstructions are made; null for <see cref="OneForwardPass"/>.</param>
    public static IReadOnlyList<ReconstructedSample> Run(TrainingPlan plan, string checkpoint, ManifestEntry clip, long seed, string? cacheDirectory = null,
        ReconstructionPass? pass = null, CancellationToken cancel = default)
    {
        if (plan.Reconstructions.Count == 0)
            throw new ArgumentException($"spec {plan.SpecName} has no reconstruction loss, so there is nothing to draw.");
        var cache = cacheDirectory is null ? null : new FeatureCache(cacheDirectory);
        var samples = plan.Features.Select(feature =>
        {
            cancel.ThrowIfCancellationRequested();
            var raw = cache is null ? feature.Extract(clip, cancel) : cache.GetOrAdd(clip.Path, feature.SettingsKey, clip.Window, () => feature.Extract(clip, cancel));
            return feature.Prepare(raw);
        }).ToList();

        using var model = TaskEvaluation.CreateModel(plan, checkpoint, seed);
        model.Train();
        using var noGrad = Torch.Torch.NoGrad();
        using var scope = new TensorScope();
        using var batch = new Batch(plan.Features.Select((feature, k) => (feature.Input, Tensor: Torch.Torch.FromArray(samples[k], [1, .. feature.SampleShape.Select(d => (long)d)])))
            .ToDictionary(p => p.Input, p => p.Tensor));
        var reconstructions = (pass ?? OneForwardPass)(model, batch);

        var losses = reconstructions.Select(r => r.Loss).ToList();
        if (!losses.SequenceEqual(plan.Reconstructions.Select(t => t.Loss)))
            throw new InvalidOperationException($"the model reconstructed [{string.Join(", ", losses)}], but spec {plan.SpecName} declares [{string.Join(", ", plan.Reconstructions.Select(t => t.Loss))}].");
        return plan.Reconstructions.Zip(reconstructions, (term, reconstruction) => Sample(plan, term, reconstruction)).ToList();
    }

    private static ReconstructedSample Sample(TrainingPlan plan, ReconstructionTerm term, Reconstruction reconstruction)
    {
        var feature = plan.Features.First(f => f.Input == term.Input);
        var mask = reconstruction.Mask;                                         // [1, N]
        if (mask.Shape is not [1, var patches])
            throw new InvalidOperationException($"loss {term.Loss}: the mask of one clip should be [1, N], but it is {mask.Describe()}.");
        return new ReconstructedSample(term, feature.SampleShape,
            Input: reconstruction.Input.Contiguous().ToArray<float>(),
            Hidden: reconstruction.Hidden().ToArray<float>(),
            Reconstruction: reconstruction.Pasted().ToArray<float>(),
            HiddenPatches: checked((int)mask.To(DType.Int64).Sum().Item<long>()),
            Patches: checked((int)patches),
            Picture: feature.Picture,
            Sampled: (reconstruction.Sampled ?? []).Select(step =>
            {
                using var pasted = (reconstruction with { Prediction = step.Prediction }).Pasted();
                return (step.Timestep, pasted.ToArray<float>());
            }).ToList());
    }
}
