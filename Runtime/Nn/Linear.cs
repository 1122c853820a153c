using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// y = x Wᵀ + b over the last dimension. Initialised as MAE/timm ViTs do: Xavier-uniform weight, zero bias
/// (not PyTorch's kaiming default — the MAE-family papers we reproduce all re-initialise this way).
/// </summary>
[Component("linear")]
public sealed class Linear : Module
{
    public Linear(int inputs, int outputs, bool bias = true)
    {
        if (inputs <= 0 || outputs <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputs), $"linear: inputs and outputs must be positive, got {inputs} -> {outputs}.");
        Inputs = inputs;
        Outputs = outputs;
        Weight = Parameter.Empty(outputs, inputs);
        Init.XavierUniform(Weight);
        Bias = bias ? Parameter.Zeros(outputs) : null;
    }

    public int Inputs { get; }
    public int Outputs { get; }

    /// <summary>[outputs, inputs]</summary>
    public Parameter Weight { get; }

    /// <summary>[outputs], or null without bias.</summary>
    public Parameter? Bias { get; }

    /// <summary>[..., inputs] → [..., outputs]</summary>
    [Shape("x: [*S, inputs] -> [*S, outputs]")]
    public Tensor Forward(Tensor x) => Functional.Linear(x, Weight, Bias);
}
