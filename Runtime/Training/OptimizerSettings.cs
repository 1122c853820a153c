namespace AvDsl.Runtime.Training;

/// <summary>AdamW's hyper-parameters other than the learning rate (which is a schedule).</summary>
public sealed record OptimizerSettings(double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8, double WeightDecay = 0.01);
