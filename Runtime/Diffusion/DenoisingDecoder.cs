using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Diffusion;

/// <summary>
/// What DiffMAE's decoders share, whatever the grid: predict x0 of every masked patch from the encoder's visible tokens.
/// <para><c>queries</c>: <see cref="DecoderQueries.Noised"/> (DiffMAE) puts Linear(P → dim) of the noised patch x_t at
/// each masked position and adds a <see cref="TimestepEmbedding"/> of t to every decoder token, context and queries;
/// <see cref="DecoderQueries.MaskToken"/> puts MAE's learned mask token there and reads neither x_t nor t.</para>
/// <para><c>attention</c>: <see cref="DecoderAttention.Joint"/> is MAE's decoder — the embedded visible tokens and the
/// queries unshuffled to the original order, + positions, a pre-norm <see cref="Transformer"/> over all N tokens (ending
/// in a LayerNorm), a linear head; every position is predicted. With mask tokens it computes exactly what
/// <see cref="MaeDecoder"/> computes with the same weights (same state-dict keys).
/// <see cref="DecoderAttention.Cross"/> is DiffMAE's cross-attention decoder: only the M masked queries (+ their positions)
/// run through <c>depth</c> <see cref="CrossAttentionBlock"/>s against the context (the embedded visible tokens + their
/// positions), then a LayerNorm and the head. [open] The queries do not attend to one another (each masked patch is
/// decoded from the context alone; the papers leave this open). The M predictions are scattered back into the clean
/// patches: visible positions hold x0 itself, which is known there — read the loss on the masked positions only.
/// Cost per sample: cross O(depth·((M + K)·dim² + M·K·dim)) against joint's O(depth·(N·dim² + N²·dim)).</para>
/// </summary>
public abstract class DenoisingDecoder : Module
{
    private readonly string _name;

    protected DenoisingDecoder(string name, int inputs, int dim, int depth, int heads, int outputs, PositionEmbedding positions, long tokens,
        double mlp, DecoderQueries queries, DecoderAttention attention)
    {
        if (depth <= 0)
            throw new ArgumentOutOfRangeException(nameof(depth), $"{name}: depth must be positive, got {depth}.");
        if (heads <= 0 || dim % heads != 0)
            throw new ArgumentException($"{name}: dim ({dim}) must be a positive multiple of heads ({heads}).");
        _name = name;
        Dim = dim;
        Outputs = outputs;
        Tokens = tokens;
        Queries = queries;
        Attention = attention;
        Embed = new Linear(inputs, dim);
        if (queries == DecoderQueries.MaskToken)
        {
            MaskToken = Parameter.Zeros(1, 1, dim);
            Init.Normal(MaskToken, std: 0.02);
        }
        else
        {
            NoisedEmbed = new Linear(outputs, dim);
            TimeEmbed = new TimestepEmbedding(dim);
        }
        Pos = positions;
        if (attention == DecoderAttention.Joint)
        {
            Transformer = new Transformer(dim, depth, heads, mlp, Norm.Pre);
        }
        else
        {
            Blocks = new ModuleList<CrossAttentionBlock>(Enumerable.Range(0, depth).Select(_ => new CrossAttentionBlock(dim, heads, mlp)));
            _norm = new LayerNorm(dim);
        }
        Pred = new Linear(dim, outputs);
    }

    public int Dim { get; }

    /// <summary>P, the patch width predicted (and, with noised queries, read from x_t).</summary>
    public int Outputs { get; }

    /// <summary>N, the grid's cells: the full sequence length.</summary>
    public long Tokens { get; }

    public DecoderQueries Queries { get; }
    public DecoderAttention Attention { get; }

    /// <summary>Encoder width → dim, for the visible tokens.</summary>
    public Linear Embed { get; }

    /// <summary>Mask-token queries only: [1, 1, dim], N(0, 0.02²) as in MAE.</summary>
    public Parameter? MaskToken { get; }

    /// <summary>Noised queries only: x_t's patch (P) → dim.</summary>
    public Linear? NoisedEmbed { get; }

    /// <summary>Noised queries only: t → dim, added to every token.</summary>
    public TimestepEmbedding? TimeEmbed { get; }

    public PositionEmbedding Pos { get; }

    /// <summary>Joint attention only.</summary>
    public Transformer? Transformer { get; }

    /// <summary>Cross attention only.</summary>
    public ModuleList<CrossAttentionBlock>? Blocks { get; }

    // Cross attention only; declared after Blocks so the state dict lists it there, as the Transformer does its own.
    private readonly LayerNorm? _norm;

    public Linear Pred { get; }

    /// <summary>context [B, K, inputs] + its <see cref="MaskedView"/> + the noised target [B, N, P] → [B, N, P]</summary>
    protected Tensor Decode(Tensor context, MaskedView view, NoisedPatches target)
    {
        var shape = context.Shape;
        var restoreShape = view.RestoreIndices.Shape;
        var keepShape = view.KeepIndices.Shape;
        if (shape.Length != 3 || restoreShape.Length != 2 || restoreShape[0] != shape[0] || restoreShape[1] != Tokens || shape[1] > Tokens)
            throw new ArgumentException(
                $"{_name}: context {context.Describe()} and restore indices {view.RestoreIndices.Describe()} do not fit a grid of {Tokens} tokens.");
        if (keepShape.Length != 2 || keepShape[1] != shape[1])
            throw new ArgumentException(
                $"{_name}: context {context.Describe()} has {shape[1]} tokens but its mask kept {(keepShape.Length == 2 ? keepShape[1] : -1)}; drop a CLS token before the decoder.");
        long[] patches = [shape[0], Tokens, Outputs];
        if (!target.Noised.Shape.AsSpan().SequenceEqual(patches) || !target.Clean.Shape.AsSpan().SequenceEqual(patches) || target.Timestep.Shape is not [var b] || b != shape[0])
            throw new ArgumentException(
                $"{_name}: expected the noised target as [{string.Join(", ", patches)}] patches with t [{shape[0]}], got clean {target.Clean.Describe()}, x_t {target.Noised.Describe()}, t {target.Timestep.Describe()}.");
        var (batch, kept) = (shape[0], shape[1]);

        using var scope = new TensorScope();
        var hidden = view.RestoreIndices.Argsort(1).Narrow(1, kept, Tokens - kept);     // [B, M] masked positions, in the mask's order
        var visible = Embed.Forward(context);                                            // [B, K, dim]
        var queries = NoisedEmbed is not null
            ? NoisedEmbed.Forward(Take(target.Noised, hidden))                           // [B, M, dim] embedded x_t
            : MaskToken!.Expand(batch, Tokens - kept, Dim);                              // [B, M, dim]
        var time = TimeEmbed?.Forward(target.Timestep).Unsqueeze(1);                     // [B, 1, dim]
        var prediction = Transformer is not null
            ? Joint(visible, queries, view.RestoreIndices, time)
            : Cross(visible, queries, view.KeepIndices, hidden, time, target.Clean);
        return scope.MoveToOuter(prediction);
    }

    // MAE's decoder: all N tokens in the original order, self-attention over them all.
    private Tensor Joint(Tensor visible, Tensor queries, Tensor restore, Tensor? time)
    {
        var shuffled = Torch.Torch.Cat([visible, queries], dim: 1);                     // [B, N, dim] kept first
        var ordered = Take(shuffled, restore) + Pos.Forward();                           // [B, N, dim] original order
        if (time is not null)
            ordered += time;
        return Pred.Forward(Transformer!.Forward(ordered));                              // [B, N, P]
    }

    // DiffMAE's cross-attention decoder: the M queries attend to the K context tokens; the visible positions keep x0.
    private Tensor Cross(Tensor visible, Tensor queries, Tensor keep, Tensor hidden, Tensor? time, Tensor clean)
    {
        var positions = Pos.Forward().Expand(visible.Shape[0], -1, -1);                 // [B, N, dim]
        var contextTokens = visible + Take(positions, keep);                             // [B, K, dim]
        var x = queries + Take(positions, hidden);                                       // [B, M, dim]
        if (time is not null)
        {
            contextTokens += time;
            x += time;
        }
        foreach (var block in Blocks!)
            x = block.Forward(x, contextTokens);
        var predicted = Pred.Forward(_norm!.Forward(x));                                 // [B, M, P]
        var index = hidden.Unsqueeze(-1).Expand(-1, -1, Outputs);                        // [B, M, P]
        return clean.To(predicted.DType).Scatter(1, index, predicted);                   // [B, N, P]
    }

    // x [B, L, C] at positions [B, I] → [B, I, C]
    private static Tensor Take(Tensor x, Tensor positions) =>
        x.Gather(1, positions.Unsqueeze(-1).Expand(-1, -1, x.Shape[2]));
}
