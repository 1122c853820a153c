namespace AvDsl.Runtime.Training;

/// <summary>The two embeddings <c>eval { retrieval: [first, second] }</c> matches clip to clip (audio and video).</summary>
public sealed record RetrievalPair(string First, string Second);
