using AvDsl.Runtime.Data;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;

namespace AvDsl.Runtime.Evaluation;

/// <summary>
/// Zero-shot retrieval with a spec's <c>eval { retrieval: [first, second] }</c>: decodes the split's clips with the streams
/// both embeddings read, embeds them with the frozen model (trained or freshly initialised), and ranks each clip's pair
/// among all clips in both directions (<see cref="Retrieval"/>).
/// </summary>
public static class RetrievalEvaluation
{
    public static RetrievalReport Run(TrainingPlan plan, RetrievalRequest request, CancellationToken cancel = default)
    {
        if (plan.Retrieval is not { } pair)
            throw new ArgumentException($"spec {plan.SpecName} declares no retrieval; add `retrieval: [audio_clip, video_clip]` to its eval block, naming two of its embeddings.");
        var first = plan.FindEmbedding(pair.First) ?? throw new ArgumentException($"spec {plan.SpecName} has no embedding `{pair.First}`.");
        var second = plan.FindEmbedding(pair.Second) ?? throw new ArgumentException($"spec {plan.SpecName} has no embedding `{pair.Second}`.");

        var manifest = Manifest.Load(request.Manifest);
        var classes = manifest.LabelSet();
        var cache = new FeatureCache(request.CacheDirectory ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(request.Manifest))!, ".feature-cache"));
        var clips = TaskEvaluation.LoadSplit(manifest, request.Split, plan.FeaturesOf(first, second), classes, cache, request.Workers, cancel, request.Labels);
        if (clips.Count < 2)
            throw new ManifestException($"{request.Manifest}: retrieval on split '{request.Split}' needs at least two clips that decode, found {clips.Count}.");

        using var model = TaskEvaluation.CreateModel(plan, request.Checkpoint, request.Seed);
        var a = ClipEmbedder.Embed(model, (_, batch) => model.Embed(batch, first.Name), clips, cancel: cancel);
        var b = ClipEmbedder.Embed(model, (_, batch) => model.Embed(batch, second.Name), clips, cancel: cancel);
        return new RetrievalReport(
            Spec: plan.SpecName,
            Task: request.Task,
            Split: request.Split,
            Init: request.Checkpoint is null ? "random" : "checkpoint",
            Seed: request.Seed,
            First: first.Name,
            FirstInputs: first.Inputs,
            Second: second.Name,
            SecondInputs: second.Inputs,
            FirstToSecond: Retrieval.Run(a, b),
            SecondToFirst: Retrieval.Run(b, a),
            Clips: clips.Count,
            SameClassChance: clips.Labels.GroupBy(l => l).Sum(g => Math.Pow(g.Count() / (double)clips.Count, 2)),
            Decoded: SplitReport.Of(request.Split, clips),
            Checkpoint: request.Checkpoint is null ? null : Path.GetFullPath(request.Checkpoint));
    }
}
