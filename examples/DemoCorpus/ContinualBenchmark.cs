namespace AvDsl.Demo;

/// <summary>
/// The demo corpus as a continual-learning benchmark (STELLA-style continual audio-video pre-training, then zero-shot
/// audio↔video retrieval on every task's test split): four tasks of disjoint categories from two domains, in an order
/// that changes domain at every boundary — five keywords, four instruments, the other five keywords, the other four
/// instruments — so forgetting can show after every task, and task 3 returns to speech with words it never heard.
/// <para>
/// Each task is one manifest, <c>continual/task-N-NAME.csv</c> (path,label,split; paths relative to that folder), which
/// a spec names as it names any manifest. Splits are <c>train</c> (the corpus task's train clips) and <c>test</c> (its
/// val and test clips together: voices or pitches never trained on), since continual pre-training selects nothing
/// on a validation split and retrieval's R@10 needs enough candidates (40 per keywords task, 80 per notes task).
/// <c>continual/multitask.csv</c> is the four tasks at once, for the multitask upper bound. The pool is in no task.
/// </para>
/// </summary>
public static class ContinualBenchmark
{
    public const string Folder = "continual";
    public const string MultitaskFile = "multitask.csv";

    public static IReadOnlyList<ContinualTask> Tasks { get; } =
    [
        new(1, "keywords-a", "keywords", DemoCorpus.KeywordLabels[..5]),
        new(2, "notes-a", "notes", DemoCorpus.NoteLabels[..4]),
        new(3, "keywords-b", "keywords", DemoCorpus.KeywordLabels[5..]),
        new(4, "notes-b", "notes", DemoCorpus.NoteLabels[4..]),
    ];

    /// <summary>A corpus split as the benchmark names it: train stays train; val and test are the task's test.</summary>
    public static string Split(string corpusSplit) => corpusSplit == "train" ? "train" : "test";

    /// <summary>The task that holds <paramref name="clip"/>, or null (the pool's clips are in none).</summary>
    public static ContinualTask? TaskOf(DemoCorpusClip clip) => Tasks.SingleOrDefault(t => t.Holds(clip));

    /// <summary>Each task's manifest rows (path relative to <see cref="Folder"/>, label, split), in plan order.</summary>
    public static IEnumerable<(ContinualTask Task, IReadOnlyList<(string RelativePath, string Label, string Split)> Rows)> Manifests(IEnumerable<DemoCorpusClip> plan)
    {
        var clips = plan.ToList();
        foreach (var task in Tasks)
            yield return (task, clips.Where(task.Holds).Select(Row).ToList());
    }

    /// <summary>The four tasks' rows in one manifest (task 1's, then task 2's, …): the multitask upper bound's data.</summary>
    public static IEnumerable<(string RelativePath, string Label, string Split)> Multitask(IEnumerable<DemoCorpusClip> plan) =>
        Manifests(plan).SelectMany(m => m.Rows);

    private static (string RelativePath, string Label, string Split) Row(DemoCorpusClip clip) =>
        ($"../{clip.Task}/{clip.RelativePath}", clip.Label, Split(clip.Split));
}
