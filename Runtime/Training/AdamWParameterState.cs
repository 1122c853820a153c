using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>AdamW's moments for one parameter, and the weight decay its group uses (0 for biases and 1-D parameters).</summary>
public sealed record AdamWParameterState(string Name, Parameter Parameter, Tensor ExpAvg, Tensor ExpAvgSq, double WeightDecay);
