using AvDsl.Cli;
using AvDsl.Cli.Commands;
using AvDsl.Cli.Pictures;
using AvDsl.Cli.Shell;
using AvDsl.Runtime.IO;
using AvDsl.Runtime.Training;
using AvDsl.Specs;
using AvDsl.Tests.Shared;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>
/// <c>avdsl reconstruct</c> on a MavilTiny run trained here for two steps on four clips made by ffmpeg: the pictures of both
/// reconstruction losses are read back from their PNG files, and the visible patches of each reconstruction are the input's.
/// The masks draw from libtorch's global generator, so the class runs alone (<see cref="GlobalRandomness"/>).
/// </summary>
[Collection(nameof(GlobalRandomness))]
public sealed class ReconstructCommandTests(ReconstructCommandTests.TrainedRun trained) : IClassFixture<ReconstructCommandTests.TrainedRun>
{
    /// <summary>Four audio-video clips and a finished two-step MavilTiny run on them (batch 2), made once for the class.</summary>
    public sealed class TrainedRun : IDisposable
    {
        private readonly TempFolder temp = new();

        public TrainedRun()
        {
            Manifest = AudioVideoClips.Create(temp);
            Run = Path.Combine(temp.Path, "runs", "mavil-tiny");
            var config = MavilTinyConfig.Default with { Data = new(Manifest, "train"), Train = MavilTinyConfig.Default.Train with { Batch = 2 } };
            Trainer.Run(MavilTinySpec.Plan(config), new RunOptions(RunDirectory: Run, Steps: 2) { CheckpointEvery = CheckpointInterval.Never });
        }

        public string Manifest { get; }
        public string Run { get; }
        public string Folder => temp.Path;

        public void Dispose() => temp.Dispose();
    }

    [Fact]
    public void Each_reconstruction_loss_is_drawn_as_input_masked_input_and_reconstruction_whose_visible_patches_are_the_input()
    {
        var folder = Path.Combine(trained.Folder, "pictures");

        var (exit, output, error) = CapturedCli.Run("reconstruct", "MavilTiny", "--run", trained.Run, "--clip", "1", "--manifest", trained.Manifest, "--out", folder);

        Assert.True(exit == ExitCodes.Ok, error);
        Assert.Equal("", error);
        Assert.Contains($"reconstructing clip 1 of {trained.Manifest}, clip1.mp4, with MavilTiny from {trained.Run} (seed 0)", output);
        Assert.Contains("a_recon: audio, 103 of 128 patches hidden (a_pred against a_target at a_view.masked)", output); // ⌊128 · 0.2⌋ = 25 kept
        Assert.Contains("v_recon: video, 32 of 64 patches hidden (v_pred against v_target at v_view.masked)", output);
        Assert.Contains($"wrote 27 pictures to {folder}", output);

        // Audio: 256 frames x 128 mel bins; the masked picture paints 103 patches of 16 x 16 pixels.
        var input = PngReader.Read(Path.Combine(folder, "audio-input.png"));
        var masked = PngReader.Read(Path.Combine(folder, "audio-masked.png"));
        var recon = PngReader.Read(Path.Combine(folder, "audio-recon.png"));
        Assert.Equal((256, 128, PictureColour.Grey), (input.Width, input.Height, input.Colour));
        Assert.Equal((256, 128, PictureColour.Rgb), (masked.Width, masked.Height, masked.Colour));
        Assert.Equal((256, 128, PictureColour.Grey), (recon.Width, recon.Height, recon.Colour));
        var hidden = HiddenPixels(masked);
        Assert.Equal(103 * 16 * 16, hidden.Count(h => h));
        AssertWholePatches(hidden, masked.Width, 16, 16);
        AssertVisibleEqual(input, recon, hidden);
        AssertVisibleEqual(input, masked, hidden);

        // Video: 8 RGB frames of 64 x 64; 32 tubelets of 2 frames x 16 x 16 hidden.
        var hiddenInVideo = 0;
        for (var t = 0; t < 8; t++)
        {
            var frame = PngReader.Read(Path.Combine(folder, $"video-input-{t:00}.png"));
            var frameMasked = PngReader.Read(Path.Combine(folder, $"video-masked-{t:00}.png"));
            var frameRecon = PngReader.Read(Path.Combine(folder, $"video-recon-{t:00}.png"));
            Assert.All(new[] { frame, frameMasked, frameRecon }, p => Assert.Equal((64, 64, PictureColour.Rgb), (p.Width, p.Height, p.Colour)));
            var hiddenHere = HiddenPixels(frameMasked);
            AssertWholePatches(hiddenHere, 64, 16, 16);
            AssertVisibleEqual(frame, frameRecon, hiddenHere);
            hiddenInVideo += hiddenHere.Count(h => h);
        }
        Assert.Equal(32 * 2 * 16 * 16, hiddenInVideo);
        Assert.False(File.Exists(Path.Combine(folder, "video-input-08.png")));
    }

    [Fact]
    public void A_diffusion_decoder_is_sampled_from_noise_one_picture_per_step_the_last_being_the_reconstruction()
    {
        var run = Path.Combine(trained.Folder, "runs", "diffmavil-tiny");
        var config = DiffMavilTinyConfig.Default with { Data = new(trained.Manifest, "train") };
        var plan = DiffMavilTinySpec.Plan(config) with { BatchSchedule = new FlopsBudgetSchedule(start: 2, max: 4), BatchSize = 2, Epochs = null };
        Trainer.Run(plan, new RunOptions(RunDirectory: run, Steps: 2) { CheckpointEvery = CheckpointInterval.Never });
        var folder = Path.Combine(trained.Folder, "diffusion-pictures");

        var (exit, output, error) = CapturedCli.Run("reconstruct", "DiffMavilTiny", "--run", run, "--clip", "1", "--manifest", trained.Manifest,
            "--out", folder, "--steps", "3");

        Assert.True(exit == ExitCodes.Ok, error);
        Assert.Contains("a_recon: audio, 90 of 128 patches hidden (a_pred against a_target.clean at a_view.masked)", output); // the curriculum's 0.7
        // DDIM over T = 1000 in 3 steps: t = 999, 500, 0; the last step's sample is the reconstruction.
        var steps = new[] { 999, 500, 0 }.Select((t, k) => PngReader.Read(Path.Combine(folder, $"audio-step-{k:00}-t{t}.png"))).ToList();
        var input = PngReader.Read(Path.Combine(folder, "audio-input.png"));
        var recon = PngReader.Read(Path.Combine(folder, "audio-recon.png"));
        var hidden = HiddenPixels(PngReader.Read(Path.Combine(folder, "audio-masked.png")));
        Assert.Equal(recon.Pixels, steps[^1].Pixels);
        Assert.All(steps, step => AssertVisibleEqual(input, step, hidden));
        Assert.NotEqual(steps[0].Pixels, steps[^1].Pixels);   // the sample moves from its start in pure noise
        Assert.True(File.Exists(Path.Combine(folder, "video-step-02-t0.png")));
    }

    [Fact]
    public void The_printed_ffmpeg_lines_put_the_three_pictures_side_by_side()
    {
        var folder = Path.Combine(trained.Folder, "side-by-side");
        var (exit, output, error) = CapturedCli.Run("reconstruct", "MavilTiny", "--run", trained.Run, "--clip", "0", "--manifest", trained.Manifest, "--out", folder);
        Assert.True(exit == ExitCodes.Ok, error);

        var lines = output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("ffmpeg ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        foreach (var line in lines)
        {
            // As a user pastes it into a shell (quoting included), without waiting on a terminal.
            var (status, log) = ProcessRunner.Run(trained.Folder, "bash", null, "-c", "ffmpeg -nostdin -loglevel error " + line["ffmpeg ".Length..]);
            Assert.True(status == 0, $"{line}\n{log}");
        }
        Assert.Equal("256,384,rgb24", Probe(Path.Combine(folder, "audio.png"), "stream=width,height,pix_fmt"));   // three 256 x 128, stacked
        Assert.Equal("768,256,8", Probe(Path.Combine(folder, "video.mp4"), "stream=width,height,nb_frames"));     // three 64 x 64, side by side, x4
    }

    [Fact]
    public void The_same_seed_draws_the_same_pictures_and_another_seed_other_masks()
    {
        ReconstructResult Draw(string name, long seed)
        {
            var cli = new CapturedCli();
            var result = new ReconstructCommand(cli.Output, cli.Specs).Run(new ReconstructOptions("MavilTiny", trained.Run, Clip: 2, Out: Path.Combine(trained.Folder, name),
                Manifest: trained.Manifest, Seed: seed));
            Assert.True(result.Succeeded, cli.Error);
            return result;
        }

        var first = Draw("seed0-a", 0);
        var again = Draw("seed0-b", 0);
        var other = Draw("seed1", 1);

        var files = first.Pictures!.SelectMany(p => p.Files).Select(Path.GetFileName).ToList();
        Assert.Equal(27, files.Count);
        foreach (var file in files)
            Assert.Equal(File.ReadAllBytes(Path.Combine(first.Folder!, file!)), File.ReadAllBytes(Path.Combine(again.Folder!, file!)));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(first.Folder!, "audio-masked.png")), File.ReadAllBytes(Path.Combine(other.Folder!, "audio-masked.png")));

        // In the model's own units, too: where the mask shows the input, the reconstruction is the input, value for value.
        foreach (var sample in first.Pictures!.Select(p => p.Sample))
        {
            var visible = Enumerable.Range(0, sample.Input.Length).Where(i => sample.Hidden[i] == 0).ToList();
            Assert.Equal(visible.Select(i => sample.Input[i]), visible.Select(i => sample.Reconstruction[i]));
            Assert.True(visible.Count < sample.Input.Length);
        }
    }

    // ---- what goes wrong, in one line ------------------------------------------------------------------

    [Fact]
    public void A_clip_past_the_manifest_s_end_is_a_usage_error_naming_the_range()
    {
        var (exit, output, error) = CapturedCli.Run("reconstruct", "MavilTiny", "--run", trained.Run, "--clip", "4", "--manifest", trained.Manifest);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("", output);
        Assert.Equal($"avdsl reconstruct: --clip 4 is out of range: {trained.Manifest} lists 4 clips; pass 0 to 3", error.Trim());
    }

    [Fact]
    public void A_spec_without_a_reconstruction_loss_is_refused_before_the_run_is_read()
    {
        var (exit, _, error) = CapturedCli.Run("reconstruct", "EatTiny", "--run", "/nonexistent/run", "--clip", "0");

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Equal("avdsl reconstruct: spec EatTiny has no reconstruction loss (a loss comparing predictions with an input's patches at masked positions, " +
            "such as `mse(pred[view.masked], target[view.masked])` with `target = patchify(audio, patch: 16)`), so there is nothing to draw", error.Trim());
    }

    [Fact]
    public void A_missing_run_is_one_line_naming_how_to_make_one()
    {
        var (exit, _, error) = CapturedCli.Run("reconstruct", "MavilTiny", "--run", "/nonexistent/run", "--clip", "0");

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Equal("avdsl reconstruct: no run directory at /nonexistent/run; pass a folder made by `avdsl train MavilTiny` (it prints the path)", error.Trim());
    }

    [Fact]
    public void An_unfinished_run_names_its_checkpoints_and_how_to_finish_it()
    {
        using var temp = new TempFolder();
        var run = FakeRun(temp, MavilTinySpec.ResolvedSpec, final: false);
        File.WriteAllText(Path.Combine(run, "checkpoint-step-7.safetensors"), "x");

        var (exit, _, error) = CapturedCli.Run("reconstruct", "MavilTiny", "--run", run, "--clip", "0");

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Equal($"avdsl reconstruct: {run} has no checkpoint-final.safetensors (the run did not finish; it has checkpoint-step-7.safetensors); " +
            $"train it to the end: `avdsl train MavilTiny --resume {run}`", error.Trim());
    }

    [Fact]
    public void A_run_of_another_spec_is_a_usage_error_naming_both()
    {
        using var temp = new TempFolder();
        var run = FakeRun(temp, "spec EatTiny {\n}\n");

        var (exit, _, error) = CapturedCli.Run("reconstruct", "MavilTiny", "--run", run, "--clip", "0");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal($"avdsl reconstruct: {run} is a run of spec EatTiny, not MavilTiny; pass EatTiny, or a run of MavilTiny", error.Trim());
    }

    [Fact]
    public void A_spec_trained_on_generated_data_needs_a_manifest_to_take_the_clip_from()
    {
        using var temp = new TempFolder();
        var run = FakeRun(temp, TinyMaeSpec.ResolvedSpec);

        var (exit, _, error) = CapturedCli.Run("reconstruct", "TinyMae", "--run", run, "--clip", "0");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("avdsl reconstruct: spec TinyMae trains on generated data, not on a manifest's clips; pass --manifest PATH to draw a clip of one", error.Trim());
    }

    [Fact]
    public void Steps_are_for_a_diffusion_sampler_and_a_one_pass_reconstruction_refuses_them()
    {
        var (exit, _, error) = CapturedCli.Run("reconstruct", "MavilTiny", "--run", "/nonexistent/run", "--clip", "0", "--steps", "8");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("avdsl reconstruct: --steps sets a diffusion sampler's steps, and spec MavilTiny's reconstructions (a_recon, v_recon) are each one forward pass; drop --steps",
            error.Trim());
    }

    // ---- what the generator found ------------------------------------------------------------------------

    [Fact]
    public void The_compiled_plans_list_mavil_tiny_s_two_reconstructions_and_none_for_eat_tiny()
    {
        Assert.Equal(
        [
            new ReconstructionTerm("a_recon", Input: "audio", Prediction: "a_pred", Target: "a_target", Mask: "a_view.masked"),
            new ReconstructionTerm("v_recon", Input: "video", Prediction: "v_pred", Target: "v_target", Mask: "v_view.masked"),
        ], MavilTinySpec.Plan().Reconstructions);
        Assert.Empty(EatTinySpec.Plan().Reconstructions);
        Assert.Empty(MavilTinyStage2Spec.Plan().Reconstructions); // its targets are the teacher's features, not patches
    }

    [Fact]
    public void The_binder_finds_the_same_terms_in_the_spec_files_with_the_real_catalog()
    {
        var mavil = SpecFiles.Compile(Repository.Spec("mavil-tiny.avml"));
        var eat = SpecFiles.Compile(Repository.Spec("eat-tiny.avml"));

        var tiny = mavil.Specs.Single(s => s.Name == "MavilTiny");
        Assert.Equal([("a_recon", "audio", "a_target_patchify"), ("v_recon", "video", "v_target_patchify_3d")],
            tiny.Reconstructions.Select(r => (r.Loss, r.Input, r.Patches)));
        Assert.All(tiny.Reconstructions, r => Assert.Null(r.Noised));
        Assert.Empty(mavil.Specs.Single(s => s.Name == "MavilTinyStage2").Reconstructions);
        Assert.Empty(eat.Specs.Single(s => s.Name == "EatTiny").Reconstructions); // frame: the teacher's layers; utterance: their mean
    }

    /// <summary>The pixels painted in <see cref="ReconstructionPictures.HiddenColour"/>.</summary>
    private static bool[] HiddenPixels(Picture masked)
    {
        var colour = ReconstructionPictures.HiddenColour;
        return Enumerable.Range(0, masked.Width * masked.Height)
            .Select(i => masked.Pixels[3 * i] == colour.R && masked.Pixels[3 * i + 1] == colour.G && masked.Pixels[3 * i + 2] == colour.B)
            .ToArray();
    }

    /// <summary>Hidden pixels fill whole patch x patch squares of the picture.</summary>
    private static void AssertWholePatches(bool[] hidden, int width, int patchWidth, int patchHeight)
    {
        var height = hidden.Length / width;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                Assert.Equal(hidden[y / patchHeight * patchHeight * width + x / patchWidth * patchWidth], hidden[y * width + x]);
    }

    /// <summary>Every pixel not hidden is the same colour in both pictures (grey compared with RGB's three equal channels).</summary>
    private static void AssertVisibleEqual(Picture expected, Picture actual, bool[] hidden)
    {
        byte[] Rgb(Picture p, int i) => p.Colour == PictureColour.Grey ? [p.Pixels[i], p.Pixels[i], p.Pixels[i]] : p.Pixels[(3 * i)..(3 * i + 3)];
        var differing = Enumerable.Range(0, hidden.Length).Count(i => !hidden[i] && !Rgb(expected, i).SequenceEqual(Rgb(actual, i)));
        Assert.Equal(0, differing);
    }

    private static string Probe(string file, string entries)
    {
        var (exit, output) = ProcessRunner.Run(Path.GetDirectoryName(file)!, "ffprobe", null, "-v", "error", "-show_entries", entries, "-of", "csv=p=0", file);
        Assert.True(exit == 0, output);
        return output.Trim();
    }

    private static string FakeRun(TempFolder temp, string specText, bool final = true)
    {
        var run = Path.Combine(temp.Path, "run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, Trainer.SpecFileName), specText);
        if (final) File.WriteAllText(Path.Combine(run, Trainer.FinalCheckpointName), "not read before the clip is found");
        return run;
    }
}
