namespace AvDsl.Runtime.Evaluation;

/// <summary>One embedding per clip, [Count, Dimension] in C order, with each clip's class index.</summary>
public sealed record ClipEmbeddings(float[] Values, int Count, int Dimension, long[] Labels)
{
    /// <summary>Checks that the values and labels fit [Count, Dimension].</summary>
    public ClipEmbeddings Validate()
    {
        if (Count <= 0 || Dimension <= 0)
            throw new ArgumentException($"embeddings need at least one clip and one dimension, got [{Count}, {Dimension}].");
        if (Values.Length != (long)Count * Dimension || Labels.Length != Count)
            throw new ArgumentException($"embeddings [{Count}, {Dimension}] need {(long)Count * Dimension} values and {Count} labels, got {Values.Length} and {Labels.Length}.");
        return this;
    }
}
