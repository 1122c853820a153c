using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>
/// AdamW's moments for one parameter, the weight decay its group uses (0 for biases and 1-D parameters) and its
/// learning-rate multiplier (1, or the layer-wise decay factor of its layer).
/// </summary>
public sealed record AdamWParameterState(string Name, Parameter Parameter, Tensor ExpAvg, Tensor ExpAvgSq, double WeightDecay, double LearningRateScale = 1.0);
