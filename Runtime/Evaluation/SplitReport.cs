namespace AvDsl.Runtime.Evaluation;

/// <summary>One manifest split in an evaluation: the clips it lists, those used, and those whose media could not be
/// decoded, counted by reason ("truncated", "corrupt", …).</summary>
public sealed record SplitReport(string Split, int Listed, int Used, IReadOnlyDictionary<string, int> BadByReason)
{
    public int Bad => Listed - Used;

    public static SplitReport Of(string split, LabelledClips clips) => new(
        split,
        clips.Count + clips.BadInputs.Count,
        clips.Count,
        clips.BadInputs.GroupBy(b => b.Reason.ToString().ToLowerInvariant()).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count()));
}
