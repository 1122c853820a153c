namespace AvDsl.Runtime.Evaluation;

/// <summary>A linear probe's training: full-batch AdamW for <paramref name="Epochs"/> steps at a fixed learning rate,
/// with light weight decay on the weight (none on the bias).</summary>
public sealed record LinearProbeOptions(int Epochs = LinearProbeOptions.DefaultEpochs, double LearningRate = LinearProbeOptions.DefaultLearningRate,
    double WeightDecay = LinearProbeOptions.DefaultWeightDecay)
{
    public const int DefaultEpochs = 300;
    public const double DefaultLearningRate = 1e-2;
    public const double DefaultWeightDecay = 1e-4;
}
