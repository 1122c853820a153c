using AvDsl.Runtime.Evaluation;

namespace AvDsl.Cli.Commands;

/// <summary>What <c>avdsl eval</c> was asked for.</summary>
/// <param name="RunDirectory">A run directory made by <c>avdsl train</c>.</param>
/// <param name="Task">A folder of the corpus holding a manifest.csv.</param>
/// <param name="Random">Evaluate the same architecture freshly initialised with <paramref name="Seed"/> instead of the run's weights.</param>
/// <param name="Epochs">Training epochs; the probe's default when null.</param>
/// <param name="LearningRate">Peak learning rate; the probe's default when null.</param>
/// <param name="HeldOut">The split accuracy is measured on: test, or val.</param>
/// <param name="Embedding">Which of the spec's embeddings the probe reads; null for its first.</param>
/// <param name="Retrieval">Instead of a probe: audio↔video retrieval on the held-out split, checkpoint and random init.</param>
public sealed record EvalOptions(
    string RunDirectory,
    string Task,
    EvaluationProbe Probe = EvaluationProbe.Linear,
    bool Random = false,
    long Seed = 0,
    string Corpus = DemoCorpusFolder.DefaultRoot,
    int? Epochs = null,
    double? LearningRate = null,
    string HeldOut = "test",
    string? Embedding = null,
    bool Retrieval = false,
    IReadOnlyList<string>? Set = null);
