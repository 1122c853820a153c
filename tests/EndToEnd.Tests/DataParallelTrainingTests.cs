using System.Diagnostics;
using System.Text.Json;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;
using Xunit.Abstractions;

namespace AvDsl.EndToEnd.Tests;

/// <summary>`avdsl train --nproc 2`: two processes on loopback Gloo train one run, which rank 0 alone writes; a rank that
/// dies stops the other with a message naming it.</summary>
public class DataParallelTrainingTests(ITestOutputHelper log)
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "avdsl.dll");

    // float32 losses of ~300 summed in another order: a few ulps (measured 1.6e-7 relative). Masks drawn per batch
    // rather than per sample, or a sum term averaged rather than summed across ranks, miss by whole percents.
    private const double RelativeTolerance = 1e-5;

    // EatTiny itself (4 clones, EMA teacher, a summed utterance term), on synthetic fbank so that no corpus is needed.
    private static string EatTinySpec(TempFolder temp)
    {
        var spec = Path.Combine(temp.Path, "parallel.avml");
        File.WriteAllText(spec, $$"""
            import "{{Repository.Spec("eat-tiny.avml")}}"

            spec EatTinyParallel extends EatTiny {
              train {
                batch: 4
                steps: 20
              }
              data {
                train: synthetic_spectrograms()
              }
            }
            """);
        return spec;
    }

    [Fact]
    public void Two_processes_train_eat_tiny_as_one_process_does_for_twenty_steps()
    {
        using var temp = new TempFolder();
        var spec = EatTinySpec(temp);
        var one = Path.Combine(temp.Path, "one");
        var two = Path.Combine(temp.Path, "two");
        var (exit, output) = ProcessRunner.Run(temp.Path, "dotnet", null, Cli, "train", spec, "--run-dir", one);
        Assert.True(exit == 0, output);
        (exit, output) = ProcessRunner.Run(temp.Path, "dotnet", null, Cli, "train", spec, "--nproc", "2", "--run-dir", two);
        Assert.True(exit == 0, output);

        var (single, parallel) = (Logged(one), Logged(two));
        Assert.Equal(20, single.Length);
        Assert.Equal(20, parallel.Length);
        var worst = 0.0;
        for (var step = 0; step < 20; step++)
            foreach (var key in new[] { "loss", "frame", "utterance" })
            {
                var (a, b) = (single[step][key], parallel[step][key]);
                var relative = Math.Abs(a - b) / Math.Abs(a);
                worst = Math.Max(worst, relative);
                if (relative > RelativeTolerance)
                    Assert.Fail($"step {step + 1} {key}: one process {a}, two processes {b} (relative difference {relative:g3})");
            }

        using var scope = new TensorScope();
        using var a1 = SafeTensors.Read(Path.Combine(one, Trainer.FinalCheckpointName));
        using var b1 = SafeTensors.Read(Path.Combine(two, Trainer.FinalCheckpointName));
        var weights = 0.0;
        // Weights, buffers (the EMA teacher) and AdamW's moments alike; the generator's state is a byte string.
        foreach (var (name, tensor) in a1.Tensors.Where(t => t.Key != Checkpoint.RngStateKey))
            weights = Math.Max(weights, (tensor - b1.Tensors[name]).Abs().Reshape(-1).Max(0).Item<double>());
        log.WriteLine($"largest relative loss difference {worst:g3}; largest state difference after 20 steps {weights:g3} over {a1.Tensors.Count - 1} tensors");
        Assert.True(a1.Tensors.Count > 100, "the checkpoint holds less than a model's state");
        Assert.True(weights < 1e-4, $"the states after 20 steps differ by up to {weights:g3}");
    }

    [Fact]
    public async Task A_data_parallel_run_killed_with_sigkill_resumes_from_its_checkpoint_with_the_losses_of_an_uninterrupted_one()
    {
        using var temp = new TempFolder();
        var spec = EatTinySpec(temp);
        var uninterrupted = Path.Combine(temp.Path, "uninterrupted");
        var killed = Path.Combine(temp.Path, "killed");
        var (exit, output) = ProcessRunner.Run(temp.Path, "dotnet", null, Cli, "train", spec, "--nproc", "2", "--run-dir", uninterrupted);
        Assert.True(exit == 0, output);

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = temp.Path };
        foreach (var argument in new[] { Cli, "train", spec, "--nproc", "2", "--checkpoint-every", "4", "--run-dir", killed })
            start.ArgumentList.Add(argument);
        using (var launcher = Process.Start(start)!)
        {
            var stdout = launcher.StandardOutput.ReadToEndAsync();
            var stderr = launcher.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            while (!(Directory.Exists(killed) && Trainer.StepCheckpoints(killed).Any(c => c.Step >= 8)))
            {
                if (launcher.HasExited)
                    Assert.Fail($"the run ended before its second checkpoint: {await stdout}{await stderr}");
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "no second checkpoint within two minutes");
                await Task.Delay(10);
            }
            Process.GetProcessById(Children(launcher.Id).Single(pid => Environ(pid).Contains("RANK=1"))).Kill(); // SIGKILL
            Assert.True(launcher.WaitForExit(TimeSpan.FromSeconds(90)), "the launcher did not stop after rank 1's death");
            await stdout;
            await stderr;
        }
        var (checkpoint, step) = Trainer.StepCheckpoints(killed).MaxBy(c => c.Step);
        Assert.True(File.Exists(Trainer.RankStateName(checkpoint, 1)), "the newest checkpoint has no part of rank 1 beside it");
        Assert.False(File.Exists(Path.Combine(killed, Trainer.FinalCheckpointName)), "the run finished before it was killed");

        // Each rank's shard position is its own: one process cannot take over two processes' run.
        (exit, output) = ProcessRunner.Run(temp.Path, "dotnet", null, Cli, "train", "--resume", killed);
        Assert.NotEqual(0, exit);
        Assert.Contains("was written by 2 processes and this resume runs one process", output);
        Assert.Contains("resume it with --nproc 2", output);

        (exit, output) = ProcessRunner.Run(temp.Path, "dotnet", null, Cli, "train", "--resume", killed, "--nproc", "2");
        Assert.True(exit == 0, output);
        Assert.Equal(Logged(uninterrupted).Select(s => s["loss"]), Logged(killed).Select(s => s["loss"]));
        log.WriteLine($"killed after the checkpoint of step {step}; resumed to step 20 with identical losses");
    }

    private static Dictionary<string, string> Rank(int rank, int port) => new()
    {
        ["RANK"] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["WORLD_SIZE"] = "2",
        ["LOCAL_RANK"] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["LOCAL_WORLD_SIZE"] = "2",
        ["MASTER_ADDR"] = "127.0.0.1",
        ["MASTER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public void A_master_port_in_use_and_a_master_that_never_answers_are_said_plainly()
    {
        using var temp = new TempFolder();
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var runs = Path.Combine(temp.Path, "runs");

        var (exit, output) = ProcessRunner.Run(temp.Path, "dotnet", Rank(0, port), Cli, "train", "TinyMae", "--steps", "2", "--runs", runs, "--dist-timeout", "5s");
        Assert.NotEqual(0, exit);
        Assert.Contains($"rank 0 of 2 could not meet the others at 127.0.0.1:{port}: port {port} is taken by another program on this machine; set MASTER_PORT to a free port", output);

        taken.Stop(); // nobody serves the port now: rank 1 waits for a rank 0 that never comes
        (exit, output) = ProcessRunner.Run(temp.Path, "dotnet", Rank(1, port), Cli, "train", "TinyMae", "--steps", "2", "--runs", runs, "--dist-timeout", "3s");
        Assert.NotEqual(0, exit);
        Assert.Contains($"rank 1 of 2 could not meet the others at 127.0.0.1:{port}: no rank 0 answered within 3 s; check that rank 0 is running and that MASTER_ADDR and MASTER_PORT name", output);
        Assert.DoesNotContain("   at ", output); // no stack trace

        (exit, output) = ProcessRunner.Run(temp.Path, "dotnet", null, Cli, "train", "TinyMae", "--nproc", "2", "--dist-timeout", "soon");
        Assert.Equal(2, exit);
        Assert.Contains("--dist-timeout: 'soon' is not a time; write 90s, 10m or 1h", output);
        Assert.False(Directory.Exists(runs), "a run that never met its ranks left a run directory");
    }

    private static Dictionary<string, double>[] Logged(string run) => File.ReadAllLines(Path.Combine(run, Trainer.MetricsFileName))
        .Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            return new[] { "loss", "frame", "utterance" }.ToDictionary(k => k, k => json.RootElement.GetProperty(k).GetDouble());
        }).ToArray();

    [Fact]
    public void Two_processes_train_one_run_that_rank_0_writes_and_report_progress_once()
    {
        using var temp = new TempFolder();
        var runs = Path.Combine(temp.Path, "runs");
        var (exit, output) = ProcessRunner.Run(temp.Path, "dotnet", null, Cli, "train", Repository.Spec("tiny-mae.avml"), "--nproc", "2", "--steps", "3", "--runs", runs);
        Assert.True(exit == 0, output);
        var run = Assert.Single(Directory.GetDirectories(runs));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(run, Trainer.MetricsFileName)).Length);
        Assert.True(File.Exists(Path.Combine(run, Trainer.FinalCheckpointName)));
        Assert.Single(output.Split('\n'), line => line.StartsWith("step 2/3 ", StringComparison.Ordinal)); // rank 0's progress only
    }

    [Fact]
    public void A_batch_that_does_not_split_into_equal_shares_is_refused_by_each_rank()
    {
        using var temp = new TempFolder();
        var spec = Path.Combine(temp.Path, "odd.avml");
        File.WriteAllText(spec, $$"""
            import "{{Repository.Spec("tiny-mae.avml")}}"

            spec OddBatch extends TinyMae {
              train {
                batch: 3
              }
            }
            """);
        var (exit, output) = ProcessRunner.Run(temp.Path, "dotnet", null, Cli, "train", spec, "--nproc", "2", "--steps", "2", "--runs", Path.Combine(temp.Path, "runs"));
        Assert.NotEqual(0, exit);
        Assert.Contains("the batch of 3 does not split into 2 equal shares, one per process; give `batch` a multiple of 2, or start a number of processes that divides 3", output);
        Assert.Matches("avdsl train: rank [01] of 2 exited with code 2; stopping the other ranks", output);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "runs")), "a refused run left a run directory");
    }

    [Fact]
    public async Task A_rank_killed_with_sigkill_stops_the_other_and_the_launcher_names_it()
    {
        using var temp = new TempFolder();
        var run = Path.Combine(temp.Path, "run");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = temp.Path };
        foreach (var argument in new[] { Cli, "train", Repository.Spec("tiny-mae.avml"), "--nproc", "2", "--steps", "100000", "--run-dir", run })
            start.ArgumentList.Add(argument);
        using var launcher = Process.Start(start)!;
        var stdout = launcher.StandardOutput.ReadToEndAsync();
        var stderr = launcher.StandardError.ReadToEndAsync();
        var metrics = Path.Combine(run, Trainer.MetricsFileName);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(metrics) || File.ReadAllLines(metrics).Length < 2)
        {
            if (launcher.HasExited)
                Assert.Fail($"the run ended before its second step: {await stdout}{await stderr}");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "no second step within two minutes");
            await Task.Delay(20);
        }
        var rank1 = Children(launcher.Id).Single(pid => Environ(pid).Contains("RANK=1"));
        Process.GetProcessById(rank1).Kill(); // SIGKILL

        clock.Restart();
        Assert.True(launcher.WaitForExit(TimeSpan.FromSeconds(90)), "the launcher did not stop within 90 s of rank 1's death");
        var error = await stderr;
        Assert.NotEqual(0, launcher.ExitCode);
        Assert.Contains("avdsl train: rank 1 of 2 was killed by signal 9; stopping the other ranks", error);
        Assert.Empty(Children(launcher.Id));
    }

    private static IEnumerable<int> Children(int parent) =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsDigit)).Select(int.Parse!)
            .Where(pid =>
            {
                try
                {
                    var stat = File.ReadAllText($"/proc/{pid}/stat");
                    return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) == parent;
                }
                catch (IOException) { return false; }
            }).ToList();

    private static string[] Environ(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/environ").Split('\0'); }
        catch (IOException) { return []; }
    }
}
