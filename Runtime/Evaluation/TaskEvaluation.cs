using AvDsl.Runtime.Data;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;

namespace AvDsl.Runtime.Evaluation;

/// <summary>
/// Evaluates a spec's encoder on a labelled task: decodes the task's train and test splits with the spec's own
/// input features, builds the model (seeded), loads the pre-trained weights (or keeps the fresh initialisation as
/// the baseline), and runs a linear probe or fine-tuning. Runs on the CPU; the same request gives the same report.
/// </summary>
public static class TaskEvaluation
{
    public static EvaluationReport Run(TrainingPlan plan, EvaluationRequest request, CancellationToken cancel = default)
    {
        if (!plan.HasEmbedding)
            throw new ArgumentException($"spec {plan.SpecName} has no clip embedding (eval {{ embed: … }}), so there is nothing to evaluate.");
        var embedding = plan.FindEmbedding(request.Embedding)
            ?? throw new ArgumentException($"spec {plan.SpecName} has no embedding `{request.Embedding}`; its embeddings are {string.Join(", ", plan.Embeddings.Select(e => e.Name))}.");
        // Only the streams the embedding reads are decoded: an audio probe needs no video.
        var features = plan.FeaturesOf(embedding);

        var manifest = Manifest.Load(request.Manifest);
        var classes = manifest.LabelSet();
        if (classes.Count < 2)
            throw new ManifestException($"{request.Manifest}: a classification task needs at least two labels, found {classes.Count}.");
        var cache = new FeatureCache(request.CacheDirectory ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(request.Manifest))!, ".feature-cache"));
        var train = LoadSplit(manifest, request.TrainSplit, features, classes, cache, request.Workers, cancel);
        var test = LoadSplit(manifest, request.TestSplit, features, classes, cache, request.Workers, cancel);

        using var model = CreateModel(plan, request.Checkpoint, request.Seed);
        Func<Module, Batch, Tensor> embed = (_, batch) => model.Embed(batch, embedding.Name);

        ClassifierResult result;
        int epochs;
        double learningRate;
        int? layers = null;
        FineTuneOptions? recipe = null;
        if (request.Probe == EvaluationProbe.Linear)
        {
            var options = new LinearProbeOptions(request.Epochs ?? LinearProbeOptions.DefaultEpochs, request.LearningRate ?? LinearProbeOptions.DefaultLearningRate);
            var trainEmbeddings = ClipEmbedder.Embed(model, embed, train, cancel: cancel);
            var testEmbeddings = ClipEmbedder.Embed(model, embed, test, cancel: cancel);
            result = LinearProbe.Run(trainEmbeddings, testEmbeddings, classes.Count, options);
            (epochs, learningRate) = (options.Epochs, options.LearningRate);
        }
        else
        {
            var spec = plan.FineTune ?? new FineTuneOptions();
            var options = spec with { Epochs = request.Epochs ?? spec.Epochs, LearningRate = request.LearningRate ?? spec.LearningRate };
            layers = FineTuning.LayerDecayFor(model, options.LayerDecay)?.Layers;
            result = FineTuning.Run(model, embed, train, test, classes.Count, request.Seed, options, cancel);
            recipe = options;
            (epochs, learningRate) = (options.Epochs, options.LearningRate);
        }

        return new EvaluationReport(
            Spec: plan.SpecName,
            Task: request.Task,
            Probe: EvaluationReport.ProbeName(request.Probe),
            Init: request.Checkpoint is null ? "random" : "checkpoint",
            Accuracy: result.Accuracy,
            TrainAccuracy: result.TrainAccuracy,
            TrainClips: train.Count,
            TestClips: test.Count,
            Classes: classes,
            Seed: request.Seed,
            Epochs: epochs,
            LearningRate: learningRate,
            EmbeddingDim: result.EmbeddingDim,
            LayerDecayLayers: layers,
            TrainLosses: result.TrainLosses,
            Splits: [SplitReport.Of(request.TrainSplit, train), SplitReport.Of(request.TestSplit, test)],
            Checkpoint: request.Checkpoint is null ? null : Path.GetFullPath(request.Checkpoint),
            Embedding: embedding.Name,
            Recipe: recipe);
    }

    /// <summary>The spec's model initialised with <paramref name="seed"/>, with the checkpoint's weights when one is given.</summary>
    internal static SpecModel CreateModel(TrainingPlan plan, string? checkpoint, long seed)
    {
        Torch.Torch.ManualSeed(seed);
        SpecModel model;
        using (new TensorScope())
            model = plan.CreateModel();
        if (checkpoint is not null)
        {
            try
            {
                using (new TensorScope())
                    Checkpoint.Restore(checkpoint, model);
            }
            catch
            {
                model.Dispose();
                throw;
            }
            Torch.Torch.ManualSeed(seed); // Restore brings back the training run's RNG state; evaluation uses its own seed
        }
        return model;
    }

    internal static LabelledClips LoadSplit(Manifest manifest, string split, IReadOnlyList<IClipFeatures> features, IReadOnlyList<string> classes,
        FeatureCache cache, int workers, CancellationToken cancel, IReadOnlyList<string>? labels = null)
    {
        var entries = new ManifestSplit(manifest.Path, split, Labels: labels).Select(manifest);
        if (entries.Count == 0)
            throw new ManifestException(labels is { Count: > 0 } && manifest.Split(split).Count > 0
                ? $"{manifest.Path}: no clips of split '{split}' carry the labels {string.Join(", ", labels)}; its labels are {string.Join(", ", manifest.LabelSet())}."
                : $"{manifest.Path}: no clips in split '{split}'; its splits are {string.Join(", ", manifest.Entries.Select(e => e.Split).Distinct().Select(s => s.Length == 0 ? "(none)" : s))}.");
        var clips = LabelledClips.Load(entries, features, classes, cache, workers, cancel);
        if (clips.Count == 0)
            throw new ManifestException($"{manifest.Path}: none of the {entries.Count} clips of split '{split}' could be decoded; the first: {clips.BadInputs[0].Message}");
        return clips;
    }
}
