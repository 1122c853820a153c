namespace AvDsl.Demo;

/// <summary>
/// One task of the demo corpus' continual benchmark (<see cref="ContinualBenchmark"/>): its place in the sequence,
/// its name, the corpus task its clips come from, and the categories (labels) it holds, which no other task holds.
/// </summary>
public sealed record ContinualTask(int Number, string Name, string CorpusTask, IReadOnlyList<string> Labels)
{
    /// <summary>The task's manifest file name in <see cref="ContinualBenchmark.Folder"/>: <c>task-1-keywords-a.csv</c>.</summary>
    public string ManifestFile => $"task-{Number}-{Name}.csv";

    public bool Holds(DemoCorpusClip clip) => clip.Task == CorpusTask && Labels.Contains(clip.Label);
}
