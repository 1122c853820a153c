namespace AvDsl.Runtime.Evaluation;

/// <summary>What training a classifier gave: accuracy on the held-out clips and on the training clips, the training
/// loss per epoch (mean cross-entropy over the epoch's steps), the optimizer steps taken and the embedding's width.</summary>
public sealed record ClassifierResult(double Accuracy, double TrainAccuracy, IReadOnlyList<double> TrainLosses, int Steps, int EmbeddingDim);
