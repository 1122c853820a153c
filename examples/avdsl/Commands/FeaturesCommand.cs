using System.CommandLine;
using AvDsl.Cli.Shell;
using AvDsl.Runtime.Data;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl features &lt;media&gt; --kind fbank|video --out x.npy</c>: a file's unnormalised features as NumPy .npy.</summary>
public sealed class FeaturesCommand : ICliCommand
{
    private readonly CommandOutput output;
    private readonly Argument<string> media = new("media") { Description = "An audio or video file ffmpeg can read." };
    private readonly Option<string> kind = new("--kind") { Description = "fbank: float32 [frames, 128] Kaldi fbank (EAT's settings, no padding or normalisation); video: float32 [frames, 3, S, S], ImageNet-normalised.", DefaultValueFactory = _ => "fbank" };
    private readonly Option<string> path = new("--out") { Description = "The .npy file to write.", Required = true };
    private readonly Option<int> size = new("--size") { Description = "video: the side S of the centre crop.", DefaultValueFactory = _ => 224 };
    private readonly Option<double> fps = new("--fps") { Description = "video: frames per second sampled.", DefaultValueFactory = _ => 4.0 };
    private readonly Option<int?> frames = new("--frames") { Description = "video: this many frames (the last repeats past the end); all when absent." };
    private readonly Option<double?> start = new("--start") { Description = "Start of the time window in seconds." };
    private readonly Option<double?> end = new("--end") { Description = "End of the time window in seconds." };

    public FeaturesCommand(CommandOutput output)
    {
        this.output = output;
        kind.AcceptOnlyFromAmong("fbank", "video");
        Syntax = new Command("features", "Write a media file's features (fbank or video frames) as a NumPy .npy file.")
        {
            media, kind, path, size, fps, frames, start, end,
        };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel) => Run(new FeaturesOptions(
        parsed.GetValue(media)!, parsed.GetValue(kind)!, parsed.GetValue(path)!, parsed.GetValue(size), parsed.GetValue(fps), parsed.GetValue(frames),
        new TimeWindow(parsed.GetValue(start) ?? 0, parsed.GetValue(end))), cancel);

    public CommandResult Run(FeaturesOptions options, CancellationToken cancel)
    {
        var window = options.Window;
        if (window.Start < 0 || window.End <= window.Start)
        {
            output.Error.WriteLine("avdsl features: need 0 ≤ --start < --end");
            return CommandResult.UsageError;
        }
        try
        {
            FeatureArray features;
            if (options.Kind == "video")
            {
                var settings = new VideoFrameSettings(options.Frames, options.Fps, options.Size);
                var data = VideoDecoder.Decode(options.Media, settings, out var count, window, cancel: cancel);
                features = new FeatureArray(data, [count, 3, settings.Size, settings.Size]);
            }
            else
            {
                features = FbankClipFeatures.Compute(new KaldiFbank(), options.Media, window, cancel);
            }
            NpyFile.Write(options.Output, features.Data, features.Shape);
            output.Out.WriteLine($"{options.Output}: float32 {features.ShapeText}");
            return CommandResult.Ok;
        }
        catch (Exception e) when (e is InvalidMediaException or MediaToolMissingException or ArgumentException or IOException)
        {
            output.Error.WriteLine($"avdsl features: {e.Message}");
            return CommandResult.Failed;
        }
    }
}
