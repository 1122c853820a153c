namespace AvDsl.Runtime.Nn;

/// <summary>Which tokens a <see cref="SharedTransformer"/> runs over, so it normalises them with their own LayerNorms.</summary>
public enum TokenModality
{
    /// <summary>Audio and video tokens together: the shared norms.</summary>
    Joint,
    Audio,
    Video,
}
