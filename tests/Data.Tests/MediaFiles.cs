using System.Diagnostics;

namespace AvDsl.Data.Tests;

/// <summary>
/// Real media made by ffmpeg from its lavfi generators, once per test run, in a temporary folder: good
/// wav/flac/ogg/mp4 files and every kind of bad file (missing, empty, truncated, corrupt, no audio stream).
/// </summary>
public sealed class MediaFiles : IDisposable
{
    public MediaFiles()
    {
        Folder = Path.Combine(Path.GetTempPath(), "avdsl-data-tests-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Folder);
        FFmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2:sample_rate=16000", "-c:a", "pcm_s16le", At("sine.wav"));
        FFmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2:sample_rate=44100", "-ac", "2", At("sine.flac"));
        FFmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2:sample_rate=48000", "-c:a", "libvorbis", At("sine.ogg"));
        FFmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2:sample_rate=48000",
            "-f", "lavfi", "-i", "testsrc=duration=2:size=160x120:rate=10",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", At("clip.mp4"));
        FFmpeg("-f", "lavfi", "-i", "color=c=red:size=96x64:rate=10:duration=1", "-c:v", "libx264", "-pix_fmt", "yuv444p", At("red.mp4"));
        File.WriteAllBytes(At("empty.wav"), []);
        Truncate("sine.wav", "truncated.wav");
        Truncate("sine.flac", "truncated.flac");
        Truncate("sine.ogg", "truncated.ogg");
        Truncate("clip.mp4", "truncated.mp4");
        var noise = new byte[4096];
        new Random(6).NextBytes(noise);
        File.WriteAllBytes(At("corrupt.mp4"), noise);
    }

    public string Folder { get; }

    public string At(string name) => Path.Combine(Folder, name);

    private void Truncate(string source, string target)
    {
        var bytes = File.ReadAllBytes(At(source));
        File.WriteAllBytes(At(target), bytes[..(bytes.Length / 2)]);
    }

    public static void FFmpeg(params string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["-nostdin", "-v", "error", "-y", .. arguments]) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', arguments)} failed: {stderr}");
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class MediaCollection : ICollectionFixture<MediaFiles>
{
    public const string Name = "media";
}
