using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// y = x Wᵀ + b over the last dimension. Initialised by <c>init</c>: by default as MAE/timm ViTs do
/// (Xavier-uniform weight, zero bias), or as fairseq's BERT init (EAT), or PyTorch's own default.
/// </summary>
[Constraint("inputs > 0 and outputs > 0", "inputs and outputs must be positive")]
[Component("linear")]
public sealed class Linear : Module
{
    public Linear(int inputs, int outputs, bool bias = true, WeightInit init = WeightInit.Xavier)
    {
        if (inputs <= 0 || outputs <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputs), $"linear: inputs and outputs must be positive, got {inputs} -> {outputs}.");
        Inputs = inputs;
        Outputs = outputs;
        Weight = Parameter.Empty(outputs, inputs);
        Bias = bias ? Parameter.Zeros(outputs) : null;
        switch (init)
        {
            case WeightInit.Xavier:
                Init.XavierUniform(Weight);
                break;
            case WeightInit.Bert:
                Init.Normal(Weight, std: 0.02);
                break;
            case WeightInit.Torch:
                Init.KaimingUniformDefault(Weight);
                if (Bias is not null)
                    Init.Uniform(Bias, -1.0 / Math.Sqrt(inputs), 1.0 / Math.Sqrt(inputs));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(init), $"linear: unknown init {init}.");
        }
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
