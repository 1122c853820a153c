namespace AvDsl.Runtime.Evaluation;

/// <summary>
/// Fine-tuning's recipe, as a spec's <c>eval { finetune: finetune(epochs: 20, drop_path: 0.1) }</c> gives it. The
/// defaults are EAT's recipe where its code fixes a value — AdamW, layer-wise learning-rate decay 0.65, weight decay
/// 0.05, drop-path 0.1, SpecAugment-style masks and mixup — and a tiny encoder's where the scale forces one: EAT's peak
/// of 5e-5 for a ViT-B over tens of thousands of steps does not move a tiny encoder in a few epochs on a couple of
/// hundred clips, so the peak is 5e-4 over 20 epochs, warmed up over the first tenth and decayed by a cosine to zero.
/// </summary>
/// <param name="LayerDecay">Per block below the head, the learning rate is multiplied by this (1 = off); applied
/// when the encoder has numbered blocks (<c>….blocks.&lt;i&gt;.…</c>), otherwise every parameter gets the full rate.</param>
/// <param name="DropPath">Stochastic depth of the encoder's last block while fine-tuning, rising from 0 in the first
/// (timm's linear rule); the pre-trained encoder's own rate is put back afterwards.</param>
/// <param name="TimeMask">SpecAugment: one band of frames per clip, its width drawn uniformly up to this fraction of
/// the frames, set to 0 (the standardised mean) in every spectrogram input [B, T, F]; 0 = off. [open] EAT's width.</param>
/// <param name="FrequencyMask">The same across mel bins. [open] EAT's width.</param>
/// <param name="Mixup">Each batch is mixed with itself reversed, inputs and targets by λ ~ Beta(mixup, mixup)
/// (timm's mixup_alpha); 0 = off. [open] EAT's value.</param>
[Constraint("epochs >= 1", "epochs is at least 1")]
[Constraint("learning_rate > 0", "learning_rate must be positive")]
[Constraint("batch_size >= 1", "batch_size is at least 1")]
[Constraint("0 < layer_decay <= 1", "layer_decay is a factor per block: 0 < layer_decay ≤ 1")]
[Constraint("weight_decay >= 0", "weight_decay must not be negative")]
[Constraint("0 <= warmup_fraction < 1", "warmup_fraction is a share of the steps: 0 ≤ warmup_fraction < 1")]
[Constraint("0 <= beta1 < 1 and 0 <= beta2 < 1", "each beta is a decay: 0 ≤ beta < 1")]
[Constraint("0 <= drop_path < 1", "drop_path is a probability: 0 ≤ drop_path < 1")]
[Constraint("0 <= time_mask < 1", "time_mask is a fraction of the frames: 0 ≤ time_mask < 1")]
[Constraint("0 <= frequency_mask < 1", "frequency_mask is a fraction of the mel bins: 0 ≤ frequency_mask < 1")]
[Constraint("mixup >= 0", "mixup is Beta(mixup, mixup)'s shape, or 0 for none")]
[Protocol("finetune")]
public sealed record FineTuneOptions(
    int Epochs = FineTuneOptions.DefaultEpochs,
    double LearningRate = FineTuneOptions.DefaultLearningRate,
    int BatchSize = 8,
    double LayerDecay = 0.65,
    double WeightDecay = 0.05,
    double WarmupFraction = 0.1,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    double DropPath = 0.1,
    double TimeMask = 0.2,
    double FrequencyMask = 0.2,
    double Mixup = 0.8)
{
    public const int DefaultEpochs = 20;
    public const double DefaultLearningRate = 5e-4;
}
