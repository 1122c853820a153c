using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>Layer normalisation over the last dimension; eps 1e-6 as in timm/MAE ViTs.</summary>
[Constraint("dim > 0", "dim must be positive")]
[Constraint("eps > 0", "eps must be positive")]
[Component("layer_norm")]
public sealed class LayerNorm : Module
{
    private readonly long[] _normalizedShape;

    public LayerNorm(int dim, bool affine = true, double eps = 1e-6)
    {
        if (dim <= 0)
            throw new ArgumentOutOfRangeException(nameof(dim), $"layer_norm: dim must be positive, got {dim}.");
        Dim = dim;
        Eps = eps;
        _normalizedShape = [dim];
        if (affine)
        {
            Weight = Parameter.Ones(dim);
            Bias = Parameter.Zeros(dim);
        }
    }

    public int Dim { get; }
    public double Eps { get; }

    /// <summary>[dim] scale, or null without affine.</summary>
    public Parameter? Weight { get; }

    /// <summary>[dim] shift, or null without affine.</summary>
    public Parameter? Bias { get; }

    /// <summary>[..., dim] → [..., dim]</summary>
    [Shape("x: [*S, dim] -> [*S, dim]")]
    public Tensor Forward(Tensor x) => Functional.LayerNorm(x, _normalizedShape, Weight, Bias, Eps);
}
