using System.Globalization;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Evaluation;
using AvDsl.Runtime.IO;

namespace AvDsl.Cli.Pictures;

/// <summary>
/// Writes what a trained model reconstructs of a clip as PNG files, three per reconstruction loss, as MAE's visualisation
/// shows them: the input, the input with its hidden patches painted over (what the encoder saw), and the reconstruction
/// (visible patches from the input, hidden ones predicted). A spectrogram is one grey picture each; video is one RGB
/// picture per frame, numbered from 00 so that ffmpeg reads them as a sequence. Files are named after the input
/// (<c>audio-recon.png</c>, <c>video-recon-03.png</c>), or after input and loss when an input has several losses. A
/// diffusion decoder's sampled reconstruction adds one picture per sampling step (<c>audio-step-02-t499.png</c>; for video,
/// the middle frame), its last step being the reconstruction.
/// </summary>
public static class ReconstructionPictures
{
    /// <summary>The colour hidden patches are painted in: not a grey, so it stands out of a spectrogram.</summary>
    public static Rgb HiddenColour { get; } = new(70, 100, 150);

    /// <summary>What each of the three pictures shows, as its file name says it.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["input", "masked", "recon"];

    public static IReadOnlyList<DrawnReconstruction> Write(IReadOnlyList<ReconstructedSample> samples, string folder)
    {
        Directory.CreateDirectory(folder);
        var shared = samples.GroupBy(s => s.Term.Input).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return samples.Select(sample =>
        {
            var stem = shared.Contains(sample.Term.Input) ? $"{sample.Term.Input}-{sample.Term.Loss}" : sample.Term.Input;
            return sample.Picture switch
            {
                SpectrogramPicture => Spectrogram(sample, folder, stem),
                FramesPicture frames => Frames(sample, frames, folder, stem),
                _ => throw new ArgumentException($"input `{sample.Term.Input}` does not say how its features are drawn (no spectrogram or frames), so loss {sample.Term.Loss} cannot be pictured."),
            };
        }).ToList();
    }

    /// <summary>A sampled reconstruction's steps, named <c>audio-step-03-t666.png</c> (step 3 of the sampler, at timestep 666).</summary>
    private static IEnumerable<(string Name, float[] Reconstruction)> SamplingSteps(ReconstructedSample sample, string stem) =>
        sample.Sampled.Select((step, k) => (string.Create(CultureInfo.InvariantCulture, $"{stem}-step-{k:00}-t{step.Timestep}.png"), step.Reconstruction));

    private static DrawnReconstruction Spectrogram(ReconstructedSample sample, string folder, string stem)
    {
        if (sample.Shape is not [var frames, var bins])
            throw new ArgumentException($"input `{sample.Term.Input}` is drawn as a spectrogram, but its samples are [{string.Join(", ", sample.Shape)}], not [frames, bins].");
        var (low, high) = (sample.Input.Min(), sample.Input.Max());
        var painter = new SpectrogramPainter(frames, bins, low, high);
        var names = Kinds.Select(kind => $"{stem}-{kind}.png").ToList();
        Picture[] pictures = [painter.Grey(sample.Input), painter.Masked(sample.Input, sample.Hidden, HiddenColour), painter.Grey(sample.Reconstruction)];
        var files = names.Select(n => Path.Combine(folder, n)).ToList();
        for (var k = 0; k < files.Count; k++) PngFile.Write(files[k], pictures[k]);
        foreach (var (name, reconstruction) in SamplingSteps(sample, stem))
        {
            names.Add(name);
            files.Add(Path.Combine(folder, name));
            PngFile.Write(files[^1], painter.Grey(reconstruction));
        }

        // Each picture taken to RGB first: stacked as they are, ffmpeg would make the masked one grey like the others.
        var stack = new ShellCommand("ffmpeg", [.. files.Take(Kinds.Count).SelectMany(f => new[] { "-i", f }),
            "-filter_complex", "[0]format=rgb24[input];[1]format=rgb24[masked];[2]format=rgb24[recon];[input][masked][recon]vstack=inputs=3",
            Path.Combine(folder, stem + ".png")]);
        var description = string.Create(CultureInfo.InvariantCulture,
            $"{frames} x {bins} spectrograms, time left to right, low mel bins at the bottom, grey from {low:0.###} (black) to {high:0.###} (white)");
        return new DrawnReconstruction(sample, files, names, description, stack);
    }

    private static DrawnReconstruction Frames(ReconstructedSample sample, FramesPicture normalisation, string folder, string stem)
    {
        if (sample.Shape is not [3, var count, var height, var width])
            throw new ArgumentException($"input `{sample.Term.Input}` is drawn as video frames, but its samples are [{string.Join(", ", sample.Shape)}], not [3, frames, height, width].");
        var painter = new FramePainter(count, height, width, normalisation);
        var digits = Math.Max(2, (count - 1).ToString(CultureInfo.InvariantCulture).Length);
        var names = Kinds.Select(kind => $"{stem}-{kind}-%0{digits}d.png").ToList();
        var files = new List<string>();
        foreach (var (kind, name) in Kinds.Zip(names))
        {
            for (var t = 0; t < count; t++)
            {
                var picture = kind switch
                {
                    "input" => painter.Frame(sample.Input, t),
                    "masked" => painter.Frame(sample.Input, t, sample.Hidden, HiddenColour),
                    _ => painter.Frame(sample.Reconstruction, t),
                };
                var file = Path.Combine(folder, name.Replace($"%0{digits}d", t.ToString(new string('0', digits), CultureInfo.InvariantCulture)));
                PngFile.Write(file, picture);
                files.Add(file);
            }
        }

        // A sampled reconstruction: each sampling step's middle frame.
        var shown = new List<string>(names);
        foreach (var (name, reconstruction) in SamplingSteps(sample, stem))
        {
            shown.Add(name);
            files.Add(Path.Combine(folder, name));
            PngFile.Write(files[^1], painter.Frame(reconstruction, count / 2));
        }

        var rate = normalisation.Fps.ToString("0.###", CultureInfo.InvariantCulture);
        var scale = Math.Max(1, 256 / height);                          // small frames enlarged, pixels kept sharp
        var filter = "hstack=inputs=3" + (scale > 1 ? $",scale=iw*{scale}:ih*{scale}:flags=neighbor" : "");
        var video = new ShellCommand("ffmpeg",
            [.. names.SelectMany(n => new[] { "-framerate", rate, "-i", Path.Combine(folder, n) }), "-filter_complex", filter, "-pix_fmt", "yuv420p", Path.Combine(folder, stem + ".mp4")]);
        var description = $"{count} frames of {width} x {height} at {rate} fps" + (sample.Sampled.Count > 0 ? $"; sampling steps: frame {count / 2}" : "");
        return new DrawnReconstruction(sample, files, shown, description, video);
    }
}
