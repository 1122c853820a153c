using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// A learned classification token put in front of the tokens (data2vec 2.0's extra token, EAT's CLS):
/// [B, N, D] → [B, N + 1, D], the token first.
/// </summary>
[Constraint("dim > 0", "dim must be positive")]
[Constraint("std >= 0", "std is a standard deviation")]
[Component("cls_token")]
public sealed class ClsToken : Module
{
    /// <param name="std">The token starts as N(0, std²): 0.02 as MAE's mask token; data2vec 2.0 / EAT use 1.0
    /// (<c>init_extra_token_zero: false</c>).</param>
    public ClsToken(int dim, double std = 0.02)
    {
        if (dim <= 0)
            throw new ArgumentOutOfRangeException(nameof(dim), $"cls_token: dim must be positive, got {dim}.");
        if (!(std >= 0))
            throw new ArgumentOutOfRangeException(nameof(std), $"cls_token: std must not be negative, got {std}.");
        Dim = dim;
        Token = Parameter.Zeros(1, 1, dim);
        Init.Normal(Token, std: std);
    }

    public int Dim { get; }

    /// <summary>[1, 1, dim], initialised N(0, std²).</summary>
    public Parameter Token { get; }

    /// <summary>[B, N, D] → [B, N + 1, D]</summary>
    [Shape("x: [B, N, dim] -> [B, N + 1, dim]")]
    public Tensor Forward(Tensor x)
    {
        var shape = x.Shape;
        if (shape.Length != 3 || shape[2] != Dim)
            throw new ArgumentException($"cls_token: expected [B, N, {Dim}], got {x.Describe()}.");
        using var scope = new TensorScope();
        var token = Token.Expand(shape[0], 1, Dim);               // [B, 1, D]
        return scope.MoveToOuter(Torch.Torch.Cat([token, x], dim: 1)); // [B, N+1, D]
    }
}
