namespace AvDsl.Runtime.Evaluation;

/// <summary>
/// Fine-tuning's training. EAT fine-tunes with AdamW, layer-wise learning-rate decay 0.65 and weight decay 0.05
/// (kept here), at a peak rate of 5e-5 for a ViT-B over tens of thousands of steps; a tiny encoder trained for a
/// few epochs on a couple of hundred clips needs a larger rate to move, so the default peak is 5e-4 over 20 epochs
/// (EAT-tiny on the demo keywords: 42.5% at 5e-4, 30% at 3e-3 where the loss jumps early), with a
/// linear warm-up over the first <paramref name="WarmupFraction"/> of the steps and a cosine decay to zero.
/// </summary>
/// <param name="LayerDecay">Per block below the head, the learning rate is multiplied by this (1 = off); applied
/// when the encoder has numbered blocks (<c>….blocks.&lt;i&gt;.…</c>), otherwise every parameter gets the full rate.</param>
public sealed record FineTuneOptions(
    int Epochs = FineTuneOptions.DefaultEpochs,
    double LearningRate = FineTuneOptions.DefaultLearningRate,
    int BatchSize = 8,
    double LayerDecay = 0.65,
    double WeightDecay = 0.05,
    double WarmupFraction = 0.1,
    double Beta1 = 0.9,
    double Beta2 = 0.999)
{
    public const int DefaultEpochs = 20;
    public const double DefaultLearningRate = 5e-4;
}
