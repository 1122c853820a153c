namespace AvDsl.Runtime.Evaluation;

/// <summary>What to retrieve on: a task's manifest split, and the weights.</summary>
/// <param name="Task">The task's name, as reported ("notes").</param>
/// <param name="Manifest">The task's manifest; its clips need every stream the two embeddings read.</param>
/// <param name="Checkpoint">The pre-trained weights; null evaluates a freshly initialised model (the baseline).</param>
/// <param name="Seed">Seeds the model's initialisation when there is no checkpoint.</param>
/// <param name="Split">The split whose clips are queries and gallery.</param>
/// <param name="CacheDirectory">The raw-feature cache; null for <c>.feature-cache</c> beside the manifest.</param>
/// <param name="Workers">Clips decoded at once.</param>
/// <param name="Labels">Only the clips of these categories (a task of a continual benchmark); null or empty for all.</param>
public sealed record RetrievalRequest(
    string Task,
    string Manifest,
    string? Checkpoint,
    long Seed = 0,
    string Split = "test",
    string? CacheDirectory = null,
    int Workers = 1,
    IReadOnlyList<string>? Labels = null);
