using System.Diagnostics;
using System.Globalization;
using AvDsl.Runtime.Data;
using FFMpegCore;
using FFMpegCore.Pipes;
using NAudio.Wave;

namespace AvDsl.DataBenchmarks;

/// <summary>
/// Decoding with our own code against the packages that could replace it, side by side in one run on the same
/// files: ffprobe through <see cref="MediaProbe"/> vs FFMpegCore's <c>FFProbe.Analyse</c>; mp4 audio (f32le, mono,
/// 16 kHz) and video (rgb24 frames, the loader's filter) through <see cref="MediaTool"/>'s stdout pipe vs
/// FFMpegCore's pipe sink; 16 kHz mono WAV through the hand-written reader the Runtime had before
/// (<see cref="HandWrittenWav"/>) vs today's NAudio-based <see cref="WavFile"/> (and NAudio's own float conversion). Each pair
/// runs alternately, every round, and the best round of each side counts (the machine is shared); the outputs
/// of each pair are compared too.
/// </summary>
public static class DecodeBenchmark
{
    private const int Rate = 16000;
    private const int Size = 112;

    public static int Run(int clips, int seconds, int rounds)
    {
        var folder = Directory.CreateTempSubdirectory("avdsl-decode-bench-").FullName;
        try
        {
            var (mp4s, wavs) = MakeClips(folder, clips, seconds);
            var video = new VideoFrameSettings(Frames: null, Fps: 10, Size: Size);
            Console.WriteLine($"decode benchmark: {clips} mp4 clips (H.264 320x240 25 fps + AAC 44.1 kHz) and {clips} WAVs (16 kHz mono PCM16), " +
                              $"{seconds} s each, best of {rounds} alternating rounds, {Environment.ProcessorCount} cores");
            Compare("probe (ffprobe)", mp4s, rounds,
                p => MediaProbe.Probe(p).Streams.Count,
                p => FFProbe.Analyse(p) is var a ? a.AudioStreams.Count + a.VideoStreams.Count : 0,
                (a, b) => a == b);
            Compare("mp4 audio -> f32 16 kHz", mp4s, rounds, p => AudioDecoder.Decode(p), FFMpegCoreAudio, (a, b) => a.AsSpan().SequenceEqual(b));
            // VideoDecoder probes first (stream and duration checks); a decoder built on FFMpegCore would too.
            Compare("mp4 video -> rgb frames", mp4s, rounds, p => VideoDecoder.Decode(p, video, out _), p => FFMpegCoreVideo(p, video), (a, b) => a.AsSpan().SequenceEqual(b));
            Compare("wav 16 kHz mono", wavs, rounds, p => HandWrittenWav.Read(p, out _), p => WavFile.Read(p, out _), (a, b) => a.AsSpan().SequenceEqual(b),
                "hand-written (before)", "NAudio WavFile (now)");
            Compare("wav, NAudio's own floats", wavs, rounds, p => HandWrittenWav.Read(p, out _), NAudioWav, (a, b) => a.AsSpan().SequenceEqual(b),
                "hand-written (before)", "NAudio ToSampleProvider");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Compare<T>(string what, IReadOnlyList<string> files, int rounds, Func<string, T> ours, Func<string, T> package, Func<T, T, bool>? sameOutput,
        string oursName = "ours (MediaTool)", string packageName = "FFMpegCore")
    {
        // Warm-up (JIT, page cache), and the outputs compared once.
        var same = sameOutput is null || files.All(f => sameOutput(ours(f), package(f)));
        double bestOurs = double.MaxValue, bestPackage = double.MaxValue;
        for (var r = 0; r < rounds; r++)
        {
            bestOurs = Math.Min(bestOurs, Time(files, ours));
            bestPackage = Math.Min(bestPackage, Time(files, package));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what,-26} {oursName} {files.Count / bestOurs,7:0.0} clips/s   {packageName} {files.Count / bestPackage,7:0.0} clips/s   " +
            $"ratio {bestOurs / bestPackage:0.00}x{(sameOutput is null ? "" : same ? "   outputs identical" : "   OUTPUTS DIFFER")}"));
    }

    private static double Time<T>(IReadOnlyList<string> files, Func<string, T> decode)
    {
        var clock = Stopwatch.StartNew();
        foreach (var file in files) GC.KeepAlive(decode(file));
        return clock.Elapsed.TotalSeconds;
    }

    private static float[] FFMpegCoreAudio(string path)
    {
        using var pcm = new MemoryStream();
        var result = FFMpegArguments.FromFileInput(path, verifyExists: false, _ => { })
            .OutputToPipe(new StreamPipeSink(pcm), o => o.WithCustomArgument($"-map 0:a:0 -ac 1 -ar {Rate} -f f32le"))
            .ProcessSynchronously(throwOnError: true);
        var samples = new float[pcm.Length / 4];
        Buffer.BlockCopy(pcm.GetBuffer(), 0, samples, 0, samples.Length * 4);
        return samples;
    }

    // The loader's filter and normalisation, as VideoDecoder does them, with FFMpegCore running ffmpeg.
    private static float[] FFMpegCoreVideo(string path, VideoFrameSettings settings)
    {
        _ = MediaProbe.Probe(path);
        var s = settings.Size.ToString(CultureInfo.InvariantCulture);
        var filter = FormattableString.Invariant(
            $"fps={settings.Fps:R},scale={s}:{s}:force_original_aspect_ratio=increase:flags=bilinear,crop={s}:{s},format=rgb24");
        using var rgb = new MemoryStream();
        FFMpegArguments.FromFileInput(path, verifyExists: false, _ => { })
            .OutputToPipe(new StreamPipeSink(rgb), o => o.WithCustomArgument($"-map 0:v:0 -vf {filter} -f rawvideo -pix_fmt rgb24"))
            .ProcessSynchronously(throwOnError: true);
        var bytes = rgb.GetBuffer().AsSpan(0, (int)rgb.Length);
        var plane = settings.Size * settings.Size;
        var frames = bytes.Length / (3 * plane);
        var output = new float[frames * 3 * plane];
        for (var f = 0; f < frames; f++)
        {
            var source = bytes.Slice(f * 3 * plane, 3 * plane);
            var target = output.AsSpan(f * 3 * plane, 3 * plane);
            for (var c = 0; c < 3; c++)
            {
                var scale = 1f / (255f * VideoFrameSettings.ImageNetStd[c]);
                var shift = VideoFrameSettings.ImageNetMean[c] / VideoFrameSettings.ImageNetStd[c];
                for (var p = 0; p < plane; p++)
                    target[c * plane + p] = source[p * 3 + c] * scale - shift;
            }
        }
        return output;
    }

    private static float[] NAudioWav(string path)
    {
        using var reader = new WaveFileReader(path);
        var provider = reader.ToSampleProvider();
        var samples = new float[reader.SampleCount];
        var read = 0;
        while (read < samples.Length && provider.Read(samples.AsSpan(read)) is var n and > 0)
            read += n;
        return read == samples.Length ? samples : samples[..read];
    }

    private static (List<string> Mp4s, List<string> Wavs) MakeClips(string folder, int clips, int seconds)
    {
        var mp4s = new List<string>();
        var wavs = new List<string>();
        var random = new HostRandom(7);
        for (var c = 0; c < clips; c++)
        {
            var mp4 = Path.Combine(folder, $"clip{c:000}.mp4");
            var frequency = 200 + 40 * c;
            var result = MediaTool.Run("ffmpeg", ["-nostdin", "-v", "error",
                "-f", "lavfi", "-i", FormattableString.Invariant($"sine=frequency={frequency}:sample_rate=44100:duration={seconds}"),
                "-f", "lavfi", "-i", FormattableString.Invariant($"testsrc=size=320x240:rate=25:duration={seconds}"),
                "-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac", "-shortest", mp4]);
            if (!result.Succeeded) throw new InvalidOperationException($"ffmpeg could not make {mp4}: {result.StderrTail()}");
            mp4s.Add(mp4);

            var wave = new float[seconds * Rate];
            for (var i = 0; i < wave.Length; i++) wave[i] = (float)(0.3 * Math.Sin(2 * Math.PI * frequency * i / Rate) + 0.05 * random.Normal());
            var wav = Path.Combine(folder, $"clip{c:000}.wav");
            WavFile.WritePcm16(wav, wave, Rate);
            wavs.Add(wav);
        }
        return (mp4s, wavs);
    }
}
