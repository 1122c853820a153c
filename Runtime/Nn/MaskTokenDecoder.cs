using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// What MAE's decoders share, whatever the grid: embed the encoder's visible tokens, append a learned mask token for
/// every hidden position, unshuffle to the original order, add the fixed position table, run a pre-norm Transformer
/// (which ends in a LayerNorm) and predict <c>outputs</c> values per token. <see cref="MaeDecoder"/> (a 2-D grid of
/// spectrogram patches) and <see cref="MaeDecoder3d"/> (a 3-D grid of video tubelets) differ only in the table.
/// </summary>
public abstract class MaskTokenDecoder : Module
{
    private readonly string _name;

    protected MaskTokenDecoder(string name, int inputs, int dim, int depth, int heads, int outputs, PositionEmbedding positions, long tokens, double mlp)
    {
        _name = name;
        Embed = new Linear(inputs, dim);
        MaskToken = Parameter.Zeros(1, 1, dim);
        Init.Normal(MaskToken, std: 0.02);
        Pos = positions;
        Transformer = new Transformer(dim, depth, heads, mlp, Norm.Pre);
        Pred = new Linear(dim, outputs);
        Dim = dim;
        Tokens = tokens;
    }

    public int Dim { get; }

    /// <summary>N, the grid's cells: the full sequence length.</summary>
    public long Tokens { get; }

    public Linear Embed { get; }

    /// <summary>[1, 1, dim], initialised N(0, 0.02²) as in MAE.</summary>
    public Parameter MaskToken { get; }

    public PositionEmbedding Pos { get; }
    public Transformer Transformer { get; }
    public Linear Pred { get; }

    /// <summary>visible [B, K, inputs] + its <see cref="MaskedView"/> → [B, N, outputs]</summary>
    protected Tensor Decode(Tensor visible, MaskedView view)
    {
        var shape = visible.Shape;
        var restoreShape = view.RestoreIndices.Shape;
        var keepShape = view.KeepIndices.Shape;
        if (shape.Length != 3 || restoreShape.Length != 2 || restoreShape[0] != shape[0] || restoreShape[1] != Tokens || shape[1] > Tokens)
            throw new ArgumentException(
                $"{_name}: visible {visible.Describe()} and restore indices {view.RestoreIndices.Describe()} do not fit a grid of {Tokens} tokens.");
        // One token more or less than the mask kept (a CLS token added or dropped on one path) would shift every position.
        if (keepShape.Length != 2 || keepShape[1] != shape[1])
            throw new ArgumentException(
                $"{_name}: visible {visible.Describe()} has {shape[1]} tokens but its mask kept {(keepShape.Length == 2 ? keepShape[1] : -1)}; drop a CLS token before the decoder.");
        var (batch, kept) = (shape[0], shape[1]);

        using var scope = new TensorScope();
        var x = Embed.Forward(visible);                                             // [B, K, dim]
        var fill = MaskToken.Expand(batch, Tokens - kept, Dim);                     // [B, N-K, dim]
        var shuffled = Torch.Torch.Cat([x, fill], dim: 1);                         // [B, N, dim] kept first
        var index = view.RestoreIndices.Unsqueeze(-1).Expand(-1, -1, Dim);         // [B, N, dim]
        var ordered = shuffled.Gather(1, index) + Pos.Forward();                    // [B, N, dim] original order
        var prediction = Pred.Forward(Transformer.Forward(ordered));                // [B, N, outputs]
        return scope.MoveToOuter(prediction);
    }
}
