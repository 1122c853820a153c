namespace AvDsl.Runtime.Training;

/// <summary>AdamW's hyper-parameters other than the learning rate (which is a schedule). <paramref name="LayerDecay"/>
/// below 1 scales each parameter's rate by layer (<see cref="Training.LayerDecay"/>); 1 leaves every rate as is.</summary>
public sealed record OptimizerSettings(double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8, double WeightDecay = 0.01, double LayerDecay = 1.0);
