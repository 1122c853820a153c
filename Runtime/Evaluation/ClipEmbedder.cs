using AvDsl.Runtime.Data;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Evaluation;

/// <summary>Runs a spec's clip embedding over labelled clips: in evaluation mode, without gradients, in batches, in order.</summary>
public static class ClipEmbedder
{
    public const int DefaultBatchSize = 16;

    /// <summary>Embeddings [N, D] of every clip, in the clips' order (the model is left in evaluation mode).</summary>
    public static ClipEmbeddings Embed(Module model, Func<Module, Batch, Tensor> embed, LabelledClips clips, int batchSize = DefaultBatchSize,
        CancellationToken cancel = default)
    {
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size must be positive, got {batchSize}.");
        if (clips.Count == 0)
            throw new ArgumentException("there are no clips to embed.", nameof(clips));
        model.Eval();
        using var noGrad = Torch.Torch.NoGrad();
        float[]? values = null;
        var dimension = 0;
        for (var start = 0; start < clips.Count; start += batchSize)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = new TensorScope();
            var indices = Enumerable.Range(start, Math.Min(batchSize, clips.Count - start)).ToArray();
            using var batch = clips.Batch(indices);
            var embedding = embed(model, batch);                            // [B, D]
            var shape = embedding.Shape;
            if (shape.Length != 2 || shape[0] != indices.Length)
                throw new InvalidOperationException($"the spec's embedding must be [B, D] with B = {indices.Length}, but it is [{string.Join(", ", shape)}].");
            if (values is null)
            {
                dimension = checked((int)shape[1]);
                values = new float[(long)clips.Count * dimension];
            }
            else if (shape[1] != dimension)
            {
                throw new InvalidOperationException($"the spec's embedding changed width from {dimension} to {shape[1]} between batches.");
            }
            var host = embedding.Contiguous().ToArray<float>();
            host.CopyTo(values, (long)start * dimension);
        }
        return new ClipEmbeddings(values!, clips.Count, dimension, clips.Labels).Validate();
    }
}
