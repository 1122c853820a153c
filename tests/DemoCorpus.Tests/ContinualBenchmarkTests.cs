using AvDsl.Runtime.Data;

namespace AvDsl.Demo.Tests;

public sealed class ContinualBenchmarkTests
{
    private static readonly IReadOnlyList<DemoCorpusClip> Plan = DemoCorpus.Plan(0);

    [Fact]
    public void Four_tasks_alternate_domains_and_share_no_category()
    {
        var tasks = ContinualBenchmark.Tasks;
        Assert.Equal(["keywords-a", "notes-a", "keywords-b", "notes-b"], tasks.Select(t => t.Name));
        Assert.Equal([1, 2, 3, 4], tasks.Select(t => t.Number));
        Assert.Equal(["task-1-keywords-a.csv", "task-2-notes-a.csv", "task-3-keywords-b.csv", "task-4-notes-b.csv"], tasks.Select(t => t.ManifestFile));
        Assert.Equal(["yes", "no", "up", "down", "left"], tasks[0].Labels);
        Assert.Equal(["keyboard", "mallet", "organ", "guitar"], tasks[1].Labels);
        Assert.Equal(["right", "on", "off", "stop", "go"], tasks[2].Labels);
        Assert.Equal(["bass", "string", "brass", "flute"], tasks[3].Labels);
        var labels = tasks.SelectMany(t => t.Labels).ToList();
        Assert.Equal(labels.Count, labels.Distinct().Count());
        // Together the tasks hold every category of the two labelled corpus tasks, and nothing of the pool's.
        Assert.Equal(Plan.Where(c => c.Task != DemoCorpus.Pool).Select(c => c.Label).Distinct().Order(), labels.Order());
        Assert.Empty(Plan.Where(c => c.Task == DemoCorpus.Pool).Select(c => c.Label).Intersect(labels));
    }

    [Fact]
    public void Every_labelled_clip_is_in_exactly_one_task_and_no_pool_clip_is_in_any()
    {
        foreach (var clip in Plan)
        {
            var holders = ContinualBenchmark.Tasks.Count(t => t.Holds(clip));
            Assert.Equal(clip.Task == DemoCorpus.Pool ? 0 : 1, holders);
        }
        var rows = ContinualBenchmark.Manifests(Plan).SelectMany(m => m.Rows.Select(r => r.RelativePath)).ToList();
        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.Equal(Plan.Count(c => c.Task != DemoCorpus.Pool), rows.Count);
        Assert.Equal(rows, ContinualBenchmark.Multitask(Plan).Select(r => r.RelativePath));
    }

    [Theory]
    [InlineData(0, 80, 40)]   // 5 words x 8 training voices x 2 takes; 5 words x 4 held-out voices x 2 takes
    [InlineData(1, 116, 80)]  // 4 instruments x 29 training pitches; 4 instruments x 20 held-out pitches
    [InlineData(2, 80, 40)]
    [InlineData(3, 116, 80)]
    public void A_task_trains_on_its_corpus_train_clips_and_tests_on_held_out_voices_or_pitches(int index, int train, int test)
    {
        var task = ContinualBenchmark.Tasks[index];
        var clips = Plan.Where(task.Holds).ToList();
        var rows = ContinualBenchmark.Manifests(Plan).Single(m => m.Task == task).Rows;
        Assert.Equal(["test", "train"], rows.Select(r => r.Split).Distinct().Order());
        Assert.Equal(train, rows.Count(r => r.Split == "train"));
        Assert.Equal(test, rows.Count(r => r.Split == "test"));
        Assert.True(test >= 20, "R@10 needs enough candidates");
        // Corpus train stays train; corpus val and test become the task's test, so no voice or pitch is in both.
        Assert.Equal(clips.Select(c => c.Split == "train" ? "train" : "test"), rows.Select(r => r.Split));
        var key = task.CorpusTask == "keywords" ? (Func<DemoCorpusClip, object>)(c => c.Speaker) : c => c.Pitch;
        Assert.Empty(clips.Where(c => c.Split == "train").Select(key).Intersect(clips.Where(c => c.Split != "train").Select(key)));
        Assert.All(task.Labels, l => Assert.Contains(rows, r => r.Label == l && r.Split == "test"));
        Assert.All(rows, r => Assert.StartsWith($"../{task.CorpusTask}/clips/", r.RelativePath));
    }

    [Fact]
    public void The_benchmark_is_the_same_for_every_build_of_a_seed()
    {
        static string Text(IReadOnlyList<DemoCorpusClip> plan) => string.Join("\n",
            ContinualBenchmark.Manifests(plan).SelectMany(m => m.Rows.Select(r => $"{m.Task.ManifestFile},{r.RelativePath},{r.Label},{r.Split}")));
        Assert.Equal(Text(DemoCorpus.Plan(0)), Text(DemoCorpus.Plan(0)));
        // The tasks' clip names and splits do not depend on the seed (only the synthesizers' settings do).
        Assert.Equal(Text(DemoCorpus.Plan(0)), Text(DemoCorpus.Plan(1)));
    }
}
