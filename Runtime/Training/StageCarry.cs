namespace AvDsl.Runtime.Training;

/// <summary><c>carry: [model, optimizer, buffer]</c>: what a stage of a sequence of tasks takes over from the one before. What it
/// does not carry starts afresh: the model's initial weights, empty optimizer moments, empty replay buffers.</summary>
public sealed record StageCarry(bool Model, bool Optimizer, bool Buffer)
{
    public static StageCarry All { get; } = new(true, true, true);
}
