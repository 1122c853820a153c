using System.Text.Json;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary><c>avdsl train</c> on a spec whose learning rate blows the weights up after the first step: step 2's loss is NaN.</summary>
public class NonFiniteTrainingTests
{
    private static string BlowUp(string folder, string? extra = null)
    {
        var text = File.ReadAllText(Repository.Spec("tiny-mae.avml"))
            .Replace("spec TinyMae {", "spec TinyMaeBlowUp {")
            .Replace("    lr: warmup_cosine(peak: 2e-3, warmup: 5)\n", "    lr: 1e30\n")
            .Replace("    clip: 1.0\n", extra ?? "");
        Assert.Contains("lr: 1e30", text);
        var path = Path.Combine(folder, "blow-up.avml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_nan_loss_stops_the_run_with_one_paragraph_and_no_checkpoint_after_it()
    {
        using var temp = new TempFolder();
        var runs = Path.Combine(temp.Path, "runs");

        var (exit, output, error) = CapturedCli.Run("train", BlowUp(temp.Path), "--steps", "6", "--runs", runs, "--checkpoint-every", "1");

        Assert.NotEqual(0, exit);
        var run = Directory.GetDirectories(runs).Single();
        Assert.Equal(
            "avdsl train: step 2 had a non-finite loss or gradient: loss NaN (recon = NaN); the first parameter whose gradient is not finite is `patches.proj.weight`. " +
            $"The run stopped before the optimizer used it; '{Path.Combine(run, "checkpoint-step-1.safetensors")}' is the last good checkpoint (nothing was written after it). " +
            "The same spec and seed meet the same step again, so change the spec and start a new run: a lower `lr` or a longer warmup, `clip: 1.0` in `train`, " +
            "or `non_finite: skip` to skip such steps and go on.",
            error.ReplaceLineEndings("\n").Split('\n').Single(l => l.StartsWith("avdsl train:", StringComparison.Ordinal)));
        Assert.DoesNotContain("   at ", error); // no stack trace
        Assert.Equal(["checkpoint-step-1.safetensors"], Directory.GetFiles(run, "checkpoint-*").Select(f => Path.GetFileName(f)!).ToArray());
        Assert.Single(File.ReadAllLines(Path.Combine(run, "metrics.jsonl")));
        Assert.Contains("step 1/6 ", output);
    }

    [Fact]
    public void With_skip_the_run_finishes_and_lists_the_skipped_steps()
    {
        using var temp = new TempFolder();
        var runs = Path.Combine(temp.Path, "runs");

        var (exit, output, error) = CapturedCli.Run("train", BlowUp(temp.Path, "    non_finite: skip\n"), "--steps", "5", "--runs", runs);

        Assert.True(exit == 0, error);
        // The weights step 1 left make every later loss NaN, and no later step changes them.
        Assert.Contains("4 steps skipped for a non-finite loss or gradient: 2, 3, 4, 5\n", output.ReplaceLineEndings("\n"));
        var run = Directory.GetDirectories(runs).Single();
        Assert.True(File.Exists(Path.Combine(run, "checkpoint-final.safetensors")));
        var skipped = File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(l => l.TryGetProperty("skipped", out _)).Select(l => l.GetProperty("step").GetInt64());
        Assert.Equal([2L, 3, 4, 5], skipped);
        Assert.Contains("non_finite: skip", File.ReadAllText(Path.Combine(run, "spec.avml")));
    }
}
