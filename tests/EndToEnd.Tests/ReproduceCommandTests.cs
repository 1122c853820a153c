using AvDsl.Runtime.Training;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary><c>avdsl reproduce</c> trains a run again from its run.json and compares every logged loss.</summary>
[Collection(nameof(GlobalRandomness))]
public class ReproduceCommandTests
{
    [Fact]
    public void A_run_reproduces_bit_for_bit_and_a_changed_loss_is_reported_at_its_step()
    {
        using var temp = new TempFolder();
        var (exit, _, error) = CapturedCli.Run("train", "TinyMae", "--steps", "3", "--runs", temp.Path, "--set", "view.ratio=0.6");
        Assert.True(exit == 0, error);
        var run = Directory.GetDirectories(temp.Path).Single();

        (exit, var output, error) = CapturedCli.Run("reproduce", run);
        Assert.True(exit == 0, error + output);
        Assert.Contains("same versions, host, threads, commit and data as the run", output);
        Assert.Contains("losses match: all 3 logged steps, loss and every term, bit for bit", output);
        Assert.True(Directory.Exists(run + "-reproduce"));

        // The run's step-2 loss as if it had come out otherwise: the comparison must find it.
        var metrics = Path.Combine(run, Trainer.MetricsFileName);
        var lines = File.ReadAllLines(metrics);
        var loss = MetricsFile.Read(metrics)[1].Loss;
        lines[1] = lines[1].Replace(System.Text.Json.JsonSerializer.Serialize(loss), System.Text.Json.JsonSerializer.Serialize(loss + 0.5));
        File.WriteAllLines(metrics, lines);
        (exit, output, _) = CapturedCli.Run("reproduce", run);
        Assert.NotEqual(0, exit);
        Assert.Contains("losses do not match: 1 of 3 steps differ; first at step 2: loss", output);
        Assert.True(Directory.Exists(run + "-reproduce-2"));
    }

    [Fact]
    public void A_folder_without_a_snapshot_or_spec_and_an_edited_spec_are_refused_in_one_sentence()
    {
        using var temp = new TempFolder();
        var (exit, _, error) = CapturedCli.Run("reproduce", temp.Path);
        Assert.NotEqual(0, exit);
        Assert.Contains("holds no spec.avml, so it is not a run directory written by `avdsl train`", error);

        File.WriteAllText(Path.Combine(temp.Path, Trainer.SpecFileName), "spec TinyMae { }\n");
        (exit, _, error) = CapturedCli.Run("reproduce", temp.Path);
        Assert.NotEqual(0, exit);
        Assert.Contains("has no run.json: it was trained before AvDsl recorded what a run was made from", error);

        (exit, _, error) = CapturedCli.Run("train", "TinyMae", "--steps", "1", "--runs", Path.Combine(temp.Path, "runs"));
        Assert.True(exit == 0, error);
        var run = Directory.GetDirectories(Path.Combine(temp.Path, "runs")).Single();
        File.AppendAllText(Path.Combine(run, Trainer.SpecFileName), "// edited\n");
        (exit, _, error) = CapturedCli.Run("reproduce", run);
        Assert.NotEqual(0, exit);
        Assert.Contains("was changed after the run started", error);
    }
}
