namespace AvDsl.Runtime.Training;

/// <summary>AdamW's hyper-parameters other than the learning rate (which is a schedule), as a spec's
/// <c>optimizer: adamw(betas: [0.9, 0.95], weight_decay: 0.05)</c> gives them. <paramref name="LayerDecay"/> below 1
/// scales each parameter's rate by layer (<see cref="Training.LayerDecay"/>); 1 leaves every rate as is.</summary>
[Constraint("len(betas) == 2", "betas are two numbers")]
[Constraint("every(betas, 0 <= item < 1)", "each beta is a decay: 0 ≤ beta < 1")]
[Constraint("eps > 0", "eps must be positive")]
[Constraint("weight_decay >= 0", "weight_decay must not be negative")]
[Constraint("0 < layer_decay <= 1", "layer_decay is a factor per block: 0 < layer_decay ≤ 1")]
[Optimizer("adamw")]
public sealed record OptimizerSettings([SpecDefault("[0.9, 0.999]")] double[] Betas, double Eps = 1e-8, double WeightDecay = 0.01, double LayerDecay = 1.0)
{
    public double[] Betas { get; init; } = Betas is [_, _] ? Betas : throw new ArgumentException($"adamw: betas are two numbers, got {Betas.Length}.", nameof(Betas));

    public double Beta1 => Betas[0];

    public double Beta2 => Betas[1];
}
