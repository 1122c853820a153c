using System.CommandLine;
using AvDsl.Runtime.Data;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl features &lt;media&gt; --kind fbank|video --out x.npy</c>: a file's unnormalised features as NumPy .npy.</summary>
public static class FeaturesCommand
{
    public static Command Create()
    {
        var media = new Argument<string>("media") { Description = "An audio or video file ffmpeg can read." };
        var kind = new Option<string>("--kind") { Description = "fbank: float32 [frames, 128] Kaldi fbank (EAT's settings, no padding or normalisation); video: float32 [frames, 3, S, S], ImageNet-normalised.", DefaultValueFactory = _ => "fbank" };
        kind.AcceptOnlyFromAmong("fbank", "video");
        var output = new Option<string>("--out") { Description = "The .npy file to write.", Required = true };
        var size = new Option<int>("--size") { Description = "video: the side S of the centre crop.", DefaultValueFactory = _ => 224 };
        var fps = new Option<double>("--fps") { Description = "video: frames per second sampled.", DefaultValueFactory = _ => 4.0 };
        var frames = new Option<int?>("--frames") { Description = "video: this many frames (the last repeats past the end); all when absent." };
        var start = new Option<double?>("--start") { Description = "Start of the time window in seconds." };
        var end = new Option<double?>("--end") { Description = "End of the time window in seconds." };
        var command = new Command("features", "Write a media file's features (fbank or video frames) as a NumPy .npy file.")
        {
            media, kind, output, size, fps, frames, start, end,
        };
        command.SetAction((result, cancel) =>
        {
            var path = result.GetValue(media)!;
            var outPath = result.GetValue(output)!;
            var window = new TimeWindow(result.GetValue(start) ?? 0, result.GetValue(end));
            if (window.Start < 0 || window.End <= window.Start)
            {
                Console.Error.WriteLine("avdsl features: need 0 ≤ --start < --end");
                return Task.FromResult(ExitCodes.Usage);
            }
            try
            {
                FeatureArray features;
                if (result.GetValue(kind) == "video")
                {
                    var settings = new VideoFrameSettings(result.GetValue(frames), result.GetValue(fps), result.GetValue(size));
                    var data = VideoDecoder.Decode(path, settings, out var count, window, cancel: cancel);
                    features = new FeatureArray(data, [count, 3, settings.Size, settings.Size]);
                }
                else
                {
                    features = FbankClipFeatures.Compute(new KaldiFbank(), path, window, cancel);
                }
                NpyFile.Write(outPath, features.Data, features.Shape);
                Console.WriteLine($"{outPath}: float32 {features.ShapeText}");
                return Task.FromResult(ExitCodes.Ok);
            }
            catch (InvalidMediaException e)
            {
                Console.Error.WriteLine($"avdsl features: {e.Message}");
                return Task.FromResult(ExitCodes.Failed);
            }
            catch (Exception e) when (e is MediaToolMissingException or ArgumentException or IOException)
            {
                Console.Error.WriteLine($"avdsl features: {e.Message}");
                return Task.FromResult(ExitCodes.Failed);
            }
        });
        return command;
    }
}
