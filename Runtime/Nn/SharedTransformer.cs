using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// CAV-MAE's shared layers: <see cref="SharedTransformerBlock"/>s whose attention and MLP serve every modality, each
/// modality keeping its own LayerNorms, and a final LayerNorm per modality. <c>shared(x)</c> runs [audio; video] together
/// with the joint norms (then <c>norm</c>); <c>shared.audio(x)</c> and <c>shared.video(x)</c> run one modality with its norms
/// (then <c>norm_a</c> or <c>norm_v</c>), as CAV-MAE's unimodal embeddings for its contrastive loss.
/// </summary>
[Constraint("depth >= 1", "depth is at least one block")]
[Constraint("heads >= 1 and dim > 0 and dim % heads == 0", "dim must be a positive multiple of heads")]
[Constraint("mlp > 0", "mlp is the hidden width as a multiple of dim")]
[Component("shared_transformer")]
public sealed class SharedTransformer : Module
{
    public SharedTransformer(int dim, int depth, int heads, double mlp = 4.0)
    {
        if (depth <= 0)
            throw new ArgumentOutOfRangeException(nameof(depth), $"shared_transformer: depth must be positive, got {depth}.");
        if (heads <= 0 || dim <= 0 || dim % heads != 0)
            throw new ArgumentException($"shared_transformer: dim ({dim}) must be a positive multiple of heads ({heads}).");
        Dim = dim;
        Blocks = new ModuleList<SharedTransformerBlock>(Enumerable.Range(0, depth).Select(_ => new SharedTransformerBlock(dim, heads, mlp)));
        Norm = new LayerNorm(dim);
        NormA = new LayerNorm(dim);
        NormV = new LayerNorm(dim);
    }

    public int Dim { get; }
    public ModuleList<SharedTransformerBlock> Blocks { get; }
    public LayerNorm Norm { get; }
    public LayerNorm NormA { get; }
    public LayerNorm NormV { get; }

    /// <summary>[audio; video] tokens [B, N, D] with the joint norms → [B, N, D]</summary>
    [Shape("x: [B, N, dim] -> [B, N, dim]")]
    public Tensor Forward(Tensor x) => Run(x, TokenModality.Joint);

    /// <summary>Audio tokens alone with the audio norms: [B, N, D] → [B, N, D]</summary>
    [Shape("x: [B, N, dim] -> [B, N, dim]")]
    public Tensor ForwardAudio(Tensor x) => Run(x, TokenModality.Audio);

    /// <summary>Video tokens alone with the video norms: [B, N, D] → [B, N, D]</summary>
    [Shape("x: [B, N, dim] -> [B, N, dim]")]
    public Tensor ForwardVideo(Tensor x) => Run(x, TokenModality.Video);

    private Tensor Run(Tensor x, TokenModality modality)
    {
        if (x.Dim != 3 || x.Shape[2] != Dim)
            throw new ArgumentException($"shared_transformer: expected [B, N, {Dim}], got {x.Describe()}.");
        using var scope = new TensorScope();
        var h = x;
        foreach (var block in Blocks)
            h = block.Forward(h, modality);
        var norm = modality switch { TokenModality.Audio => NormA, TokenModality.Video => NormV, _ => Norm };
        return scope.MoveToOuter(norm.Forward(h));
    }
}
