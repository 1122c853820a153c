using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Objectives;

/// <summary>Mean squared error over all elements of two equally-shaped tensors → a scalar.</summary>
[Component("mse")]
public sealed class MseLoss : Module
{
    public MseLoss() { }

    [Shape("prediction: [*S], target: [*S] -> []")]
    public Tensor Forward(Tensor prediction, Tensor target) => Functional.MseLoss(prediction, target);
}
