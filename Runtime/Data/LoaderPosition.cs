namespace AvDsl.Runtime.Data;

/// <summary>Where a loader stands: the epoch and the index into that epoch's shuffled order of the next clip to read.</summary>
public readonly record struct LoaderPosition(long Epoch, int Index)
{
    public static LoaderPosition Start { get; } = new(0, 0);
}
