using System.ComponentModel;
using System.Diagnostics;

namespace AvDsl.Runtime.Data;

/// <summary>
/// Runs ffmpeg, ffprobe (or another command-line tool such as espeak-ng) as a process with an argument list (never through a shell), optional bytes on stdin,
/// stdout captured as bytes and stderr as text, and a time limit after which the process tree is killed.
/// AVDSL_FFMPEG_DIR selects the folder holding the tools; otherwise PATH is searched.
/// <para>
/// Why not FFMpegCore (6.0.0 restores here): measured side by side (tests/DataBenchmarks, <c>decode</c>) it is no
/// faster, as both start the same ffmpeg/ffprobe processes — probe 0.88–0.95x, mp4 audio 0.89x, video 0.93–1.02x
/// of our throughput; it joins the arguments into one string and quotes the path itself (a file name holding a
/// double quote breaks it; here arguments are a list), its synchronous FFProbe.Analyse has no time limit and
/// drops ffprobe's exit code, and this class also runs espeak-ng and fluidsynth for the demo corpus.
/// </para>
/// </summary>
public static class MediaTool
{
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(120);

    public static MediaToolResult Run(string tool, IEnumerable<string> arguments, byte[]? stdin = null,
        TimeSpan? timeout = null, CancellationToken cancel = default)
    {
        var start = new ProcessStartInfo(Resolve(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new MediaToolMissingException(tool, e);
        }

        // stdout, stderr and stdin run concurrently: a full pipe on any of them would otherwise stall the tool.
        var stdout = new MemoryStream();
        var stdoutTask = process.StandardOutput.BaseStream.CopyToAsync(stdout, CancellationToken.None);
        var stderrTask = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var stdinTask = stdin is null ? Task.CompletedTask : Task.Run(async () =>
        {
            try
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin, CancellationToken.None);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The tool stopped reading (it failed or had enough); its exit code and stderr say why.
            }
        }, CancellationToken.None);

        var limit = timeout ?? DefaultTimeout;
        var timedOut = false;
        using (var timer = CancellationTokenSource.CreateLinkedTokenSource(cancel))
        {
            timer.CancelAfter(limit);
            try
            {
                process.WaitForExitAsync(timer.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                timedOut = !cancel.IsCancellationRequested;
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                process.WaitForExit();
                cancel.ThrowIfCancellationRequested();
            }
        }
        Task.WaitAll(stdoutTask, stderrTask, stdinTask);
        return new MediaToolResult(process.ExitCode, stdout.ToArray(), stderrTask.Result, timedOut);
    }

    private static string Resolve(string tool)
    {
        if (tool is not ("ffmpeg" or "ffprobe")) return tool;
        var folder = Environment.GetEnvironmentVariable("AVDSL_FFMPEG_DIR");
        return string.IsNullOrEmpty(folder) ? tool : Path.Combine(folder, tool);
    }

    /// <summary>The container's duration in seconds from an ffmpeg log at -v info ("Duration: 00:00:02.00"), if it states one.</summary>
    public static double? DeclaredDuration(string stderr)
    {
        var match = System.Text.RegularExpressions.Regex.Match(stderr, @"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)");
        if (!match.Success) return null;
        double Part(int i) => double.Parse(match.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture);
        return Part(1) * 3600 + Part(2) * 60 + Part(3);
    }
}
