using AvDsl.Cli.Commands;
using AvDsl.Cli.Sweeps;
using AvDsl.Runtime.Training;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary><c>avdsl sweep</c> trains each variant once: a finished one is skipped, an interrupted one resumes where
/// it stopped, and points added to the sweep later are trained into the same directory.</summary>
[Collection(nameof(GlobalRandomness))]
public class SweepCommandTests
{
    private static string SweepFile(string folder, string ratios, string name = "Ratio")
    {
        var path = Path.Combine(folder, $"{name.ToLowerInvariant()}.avml");
        File.WriteAllText(path, $"import \"{Repository.Spec("tiny-mae.avml")}\"\n\nsweep {name} of TinyMae {{\n  grid view.ratio in [{ratios}]\n}}\n");
        return path;
    }

    private static double[] Losses(string run) => MetricsFile.Read(Path.Combine(run, Trainer.MetricsFileName)).Select(l => l.Loss).ToArray();

    [Fact]
    public void A_finished_sweep_is_not_trained_again_and_a_point_added_later_is_trained_alone()
    {
        using var temp = new TempFolder();
        var file = SweepFile(temp.Path, "0.5, 0.75");
        var folder = Path.Combine(temp.Path, "sweep");
        var (exit, output, error) = CapturedCli.Run("sweep", file, "--steps", "3", "--sweep-dir", folder);
        Assert.True(exit == 0, error + output);
        Assert.Contains("sweep Ratio of TinyMae: 2 variants, 0 done", output);
        var summary = File.ReadAllText(Path.Combine(folder, SweepSummary.FileName));
        Assert.Contains("| Ratio_ViewRatio0p5  |", summary);
        Assert.Contains("| Ratio_ViewRatio0p75 |", summary);
        Assert.All(Directory.GetDirectories(folder, "Ratio_*"), run => Assert.Equal(3, Losses(run).Length));

        (exit, output, error) = CapturedCli.Run("sweep", file, "--steps", "3", "--sweep-dir", folder);
        Assert.True(exit == 0, error + output);
        Assert.Contains("2 variants, 2 done", output);
        Assert.DoesNotContain(": training", output);

        SweepFile(temp.Path, "0.5, 0.75, 0.9");
        (exit, output, error) = CapturedCli.Run("sweep", file, "--steps", "3", "--sweep-dir", folder);
        Assert.True(exit == 0, error + output);
        Assert.Contains("the sweep has 1 point more than when it last ran", output);
        Assert.Contains("Ratio_ViewRatio0p9: training", output);
        Assert.DoesNotContain("Ratio_ViewRatio0p5: training", output);
        Assert.Equal(3, SweepRecord.Read(folder)!.Variants.Count);
    }

    [Fact]
    public async Task An_interrupted_sweep_resumes_its_variant_from_the_checkpoint_with_the_losses_of_an_uninterrupted_one()
    {
        using var temp = new TempFolder();
        var file = SweepFile(temp.Path, "0.6");
        var whole = Path.Combine(temp.Path, "whole");
        Assert.Equal(0, CapturedCli.Run("sweep", file, "--steps", "6", "--sweep-dir", whole).Exit);

        var folder = Path.Combine(temp.Path, "cut");
        var metrics = Path.Combine(folder, "Ratio_ViewRatio0p6", Trainer.MetricsFileName);
        using (var cancel = new CancellationTokenSource())
        {
            // Stop the sweep once its variant has logged 3 steps, as Ctrl-C would.
            var watcher = Task.Run(async () =>
            {
                while (!cancel.IsCancellationRequested && !(File.Exists(metrics) && File.ReadAllLines(metrics).Length >= 3))
                    await Task.Delay(5);
                cancel.Cancel();
            });
            var cli = new CapturedCli();
            var result = new SweepCommand(cli.Output, cli.Specs, new TrainCommand(cli.Output, cli.Specs))
                .Run(new SweepOptions(file, Directory: folder, Steps: 6), cancel.Token);
            Assert.False(result.Succeeded);
            Assert.Contains("run the same command again to continue the sweep", cli.Error);
            await watcher;
        }
        Assert.Equal(VariantProgress.Resumable, VariantState.Of(folder, "Ratio_ViewRatio0p6").Progress);

        var (exit, output, error) = CapturedCli.Run("sweep", file, "--steps", "6", "--sweep-dir", folder);
        Assert.True(exit == 0, error + output);
        Assert.Contains("Ratio_ViewRatio0p6: resuming", output);
        Assert.Equal(Losses(Path.Combine(whole, "Ratio_ViewRatio0p6")), Losses(Path.Combine(folder, "Ratio_ViewRatio0p6")));
    }

    [Fact]
    public void A_variant_killed_before_its_first_checkpoint_starts_again_and_keeps_what_it_wrote_aside()
    {
        using var temp = new TempFolder();
        var file = SweepFile(temp.Path, "0.6");
        var folder = Path.Combine(temp.Path, "sweep");
        Assert.Equal(0, CapturedCli.Run("sweep", file, "--steps", "2", "--sweep-dir", folder).Exit);
        var run = Path.Combine(folder, "Ratio_ViewRatio0p6");
        File.Delete(Path.Combine(run, Trainer.FinalCheckpointName));

        var (exit, output, error) = CapturedCli.Run("sweep", file, "--steps", "2", "--sweep-dir", folder);
        Assert.True(exit == 0, error + output);
        Assert.Contains("stopped before its first checkpoint; starting it again", output);
        Assert.True(File.Exists(Path.Combine(run + ".interrupted", Trainer.MetricsFileName)));
        Assert.True(File.Exists(Path.Combine(run, Trainer.FinalCheckpointName)));
    }

    [Fact]
    public void Another_sweep_other_options_or_a_folder_that_is_no_sweep_are_refused_in_one_sentence()
    {
        using var temp = new TempFolder();
        var folder = Path.Combine(temp.Path, "sweep");
        Assert.Equal(0, CapturedCli.Run("sweep", SweepFile(temp.Path, "0.6"), "--steps", "1", "--sweep-dir", folder).Exit);

        var (exit, _, error) = CapturedCli.Run("sweep", SweepFile(temp.Path, "0.6", name: "Other"), "--steps", "1", "--sweep-dir", folder);
        Assert.NotEqual(0, exit);
        Assert.Contains("holds sweep `Ratio` of TinyMae", error);
        Assert.Contains("give this sweep its own --sweep-dir", error);

        (exit, _, error) = CapturedCli.Run("sweep", Path.Combine(temp.Path, "ratio.avml"), "--steps", "2", "--sweep-dir", folder);
        Assert.NotEqual(0, exit);
        Assert.Contains("was swept with --steps 1 and no --set, and this run asks for --steps 2 and no --set", error);

        var notASweep = Directory.CreateDirectory(Path.Combine(temp.Path, "notes")).FullName;
        File.WriteAllText(Path.Combine(notASweep, "todo.txt"), "x");
        (exit, _, error) = CapturedCli.Run("sweep", Path.Combine(temp.Path, "ratio.avml"), "--sweep-dir", notASweep);
        Assert.NotEqual(0, exit);
        Assert.Contains("is not empty and holds no sweep.json, so it is no sweep directory", error);

        (exit, _, error) = CapturedCli.Run("sweep", Path.Combine(temp.Path, "ratio.avml"), "--sweep", "Ratoi");
        Assert.NotEqual(0, exit);
        Assert.Contains("has no sweep `Ratoi`; did you mean `Ratio`?", error);
    }
}
