namespace AvDsl.Runtime.Evaluation;

/// <summary>What to evaluate: a task's manifest, the probe, the weights, and the training settings.</summary>
/// <param name="Task">The task's name, as reported ("keywords").</param>
/// <param name="Manifest">The task's manifest (path,label,split).</param>
/// <param name="Probe">Linear probe on frozen embeddings, or fine-tuning.</param>
/// <param name="Checkpoint">The pre-trained weights; null evaluates a freshly initialised model (the baseline).</param>
/// <param name="Seed">Seeds the model's initialisation (without a checkpoint) and fine-tuning's batch order.</param>
/// <param name="Epochs">Training epochs of the probe or fine-tuning; null for the probe's default.</param>
/// <param name="LearningRate">Peak learning rate; null for the probe's default.</param>
/// <param name="TrainSplit">The split the classifier trains on.</param>
/// <param name="TestSplit">The held-out split accuracy is measured on.</param>
/// <param name="CacheDirectory">The raw-feature cache; null for <c>.feature-cache</c> beside the manifest (as training uses).</param>
/// <param name="Workers">Clips decoded at once.</param>
/// <param name="Embedding">Which of the spec's embeddings the probe reads; null for its first.</param>
public sealed record EvaluationRequest(
    string Task,
    string Manifest,
    EvaluationProbe Probe,
    string? Checkpoint,
    long Seed = 0,
    int? Epochs = null,
    double? LearningRate = null,
    string TrainSplit = "train",
    string TestSplit = "test",
    string? CacheDirectory = null,
    int Workers = 1,
    string? Embedding = null);
