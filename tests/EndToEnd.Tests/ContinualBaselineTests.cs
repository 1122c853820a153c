using AvDsl.Cli.Commands;
using AvDsl.Cli.Shell;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Training;
using AvDsl.Specs;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>STELLA and its baselines (specs/cav-mae-tiny-continual.avml) train over four tasks of short audio-video clips, one step a
/// task, and `avdsl eval --continual` measures every task after every stage.</summary>
[Collection(nameof(GlobalRandomness))]
public class ContinualBaselineTests
{
    /// <summary>Four tasks of one label each, every clip a tone and a picture of its own: 2 train and 2 test clips a task.</summary>
    private static (IReadOnlyList<DataTask> Tasks, string Folder) Tasks(TempFolder temp)
    {
        var folder = Path.Combine(temp.Path, "clips");
        Directory.CreateDirectory(folder);
        var rows = new List<(string, string, string)>();
        for (var i = 0; i < 16; i++)
        {
            var name = $"clip{i}.mp4";
            var (exit, log) = ProcessRunner.Run(folder, "ffmpeg", null, "-nostdin", "-loglevel", "error",
                "-f", "lavfi", "-i", $"testsrc=size=64x64:rate=8:duration=2,hue=h={20 * i}",
                "-f", "lavfi", "-i", $"sine=frequency={200 + 60 * i}:duration=2",
                "-shortest", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", name);
            Assert.True(exit == 0, log);
            rows.Add((name, $"t{i % 4}", i < 8 ? "train" : "test"));
        }
        var manifest = Path.Combine(folder, "manifest.csv");
        Manifest.WriteCsv(manifest, rows);
        return (Enumerable.Range(0, 4).Select(t => new DataTask($"task{t}", new ManifestSource(manifest, Labels: [$"t{t}"]))).ToList(), folder);
    }

    private static TrainingPlan OnTasks(CompiledSpec spec, IReadOnlyList<DataTask> tasks)
    {
        TrainingStage[] stages = spec.Name == "CavMaeTinyMultitask" ? [new(tasks)] : tasks.Select(t => new TrainingStage([t])).ToArray();
        return spec.Plan() with { Tasks = tasks, Stages = stages, Data = stages[0], BatchSize = 2 };
    }

    [Fact]
    public void Stella_and_every_baseline_train_over_the_tasks_and_are_evaluated_after_every_stage()
    {
        using var temp = new TempFolder();
        var (tasks, _) = Tasks(temp);
        foreach (var name in new[] { "CavMaeTinyContinual", "CavMaeTinyEr", "CavMaeTinyDer", "CavMaeTinyLump", "CavMaeTinyMultitask", "StellaTiny" })
        {
            var spec = CompiledSpecs.All.Single(s => s.Name == name);
            var run = Trainer.Run(OnTasks(spec, tasks), new RunOptions(RunRoot: Path.Combine(temp.Path, "runs"), Steps: 1));
            var stages = name == "CavMaeTinyMultitask" ? 1 : 4;
            Assert.Equal(stages, run.Steps.Count);
            Assert.All(run.Steps, s => Assert.True(double.IsFinite(s.Loss), $"{name}: loss {s.Loss}"));

            var cli = new CapturedCli();
            var result = new EvalCommand(cli.Output, cli.Specs, compiled => OnTasks(compiled, tasks)).RunContinual(run.RunDirectory, evalSeed: 0);
            Assert.True(result.Kind == ResultKind.Ok, cli.Error);
            var report = result.Continual!;
            Assert.Equal(stages, report.Matrix.Count);
            Assert.All(report.Matrix, row => Assert.Equal(new[] { "task0", "task1", "task2", "task3" }, row.Select(c => c.Task)));
            Assert.All(report.Matrix.SelectMany(r => r), c => Assert.Equal((2, 1.0), (c.Clips, c.FirstToSecond.R10))); // two clips: always within ten
            Assert.Equal(stages == 1, report.FirstToSecond.Forgetting is null);
            Assert.True(File.Exists(Path.Combine(run.RunDirectory, "eval", "continual.json")));
            Assert.Contains("average", cli.Out);
        }
    }

    private static (int Stage, double Loss, double Match, double Der)[] Logged(string runDirectory) =>
        File.ReadAllLines(Path.Combine(runDirectory, Trainer.MetricsFileName)).Select(line =>
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            var root = json.RootElement;
            return (root.GetProperty("stage").GetInt32(), root.GetProperty("loss").GetDouble(), root.GetProperty("match").GetDouble(),
                root.GetProperty("der").GetDouble());
        }).ToArray();

    [Fact]
    public void Stella_replays_from_its_second_step_and_a_run_stopped_in_task_three_resumes_with_the_same_losses()
    {
        using var temp = new TempFolder();
        var (tasks, _) = Tasks(temp);
        var runs = Path.Combine(temp.Path, "runs");
        var plan = OnTasks(CompiledSpecs.All.Single(s => s.Name == "StellaTiny"), tasks);
        var full = Logged(Trainer.Run(plan, new RunOptions(RunRoot: runs, Steps: 2)).RunDirectory);
        Assert.Equal(new[] { 1, 1, 2, 2, 3, 3, 4, 4 }, full.Select(l => l.Stage));
        Assert.All(full, l => Assert.True(double.IsFinite(l.Loss) && l.Match > 0, $"loss {l.Loss}, match {l.Match}"));
        Assert.Equal(0.0, full[0].Der); // nothing stored yet
        Assert.All(full.Skip(1), l => Assert.True(l.Der > 0, $"der {l.Der}"));

        using var cancel = new CancellationTokenSource();
        var stopped = Trainer.Run(plan, new RunOptions(RunRoot: runs, Steps: 2), onStep: s => { if (s.Step == 5) cancel.Cancel(); }, cancel: cancel.Token);
        Assert.True(stopped.Cancelled);
        var resumed = Trainer.Resume(plan, stopped.RunDirectory, new RunOptions(RunRoot: runs, Steps: 2));
        Assert.Equal(full, Logged(resumed.RunDirectory));
    }

    [Fact]
    public void A_run_that_stopped_inside_a_stage_is_refused_with_where_it_stopped()
    {
        using var temp = new TempFolder();
        var (tasks, _) = Tasks(temp);
        var spec = CompiledSpecs.All.Single(s => s.Name == "CavMaeTinyEr");
        using var cancel = new CancellationTokenSource();
        var run = Trainer.Run(OnTasks(spec, tasks), new RunOptions(RunRoot: Path.Combine(temp.Path, "runs"), Steps: 1),
            onStep: s => { if (s.Step == 2) cancel.Cancel(); }, cancel: cancel.Token);
        var cli = new CapturedCli();
        var result = new EvalCommand(cli.Output, cli.Specs, compiled => OnTasks(compiled, tasks)).RunContinual(run.RunDirectory, evalSeed: 0);
        Assert.Equal(ResultKind.Failed, result.Kind);
        Assert.Contains("holds 2 of the 4 stage checkpoints (checkpoint-stage-K.safetensors): the run stopped in stage 3, task2; resume it", cli.Error);
    }
}
