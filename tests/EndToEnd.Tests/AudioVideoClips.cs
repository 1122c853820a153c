namespace AvDsl.EndToEnd.Tests;

/// <summary>Short mp4 clips made by ffmpeg, each a moving test pattern with a tone of its own, and their manifest.</summary>
public static class AudioVideoClips
{
    /// <summary><paramref name="count"/> two-second clips (64 x 64 at 10 fps, a sine at 300·(i + 1) Hz) in split "train";
    /// returns the manifest's path.</summary>
    public static string Create(TempFolder temp, int count = 4)
    {
        var rows = new List<string> { "path,label,split" };
        for (var i = 0; i < count; i++)
        {
            var (exit, log) = ProcessRunner.Run(temp.Path, "ffmpeg", null, "-nostdin", "-loglevel", "error",
                "-f", "lavfi", "-i", $"testsrc=duration=2:size=64x64:rate=10:decimals={i}",
                "-f", "lavfi", "-i", $"sine=frequency={300 * (i + 1)}:duration=2:sample_rate=16000",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", $"clip{i}.mp4");
            if (exit != 0) throw new InvalidOperationException($"ffmpeg could not make clip{i}.mp4: {log}");
            rows.Add($"clip{i}.mp4,clip{i},train");
        }
        var manifest = Path.Combine(temp.Path, "manifest.csv");
        File.WriteAllLines(manifest, rows);
        return manifest;
    }
}
