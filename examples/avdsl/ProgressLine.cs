using System.Globalization;
using AvDsl.Runtime.Training;

namespace AvDsl.Cli;

/// <summary>A training run's progress in one line: the step, the loss and its terms, the learning rate, throughput in
/// clips per second and the time left, both over the last <see cref="Window"/> steps (the first steps, slowed by
/// warm-up and a cold loader, soon leave it).</summary>
public sealed class ProgressLine
{
    public const int Window = 20;

    private readonly Queue<(double Ms, int Clips)> recent = new();
    private double windowMs;
    private long windowClips;

    /// <summary>Takes a finished step into the window and describes the run as it now stands.</summary>
    public string Next(StepRecord record)
    {
        recent.Enqueue((record.StepMs, record.Batch));
        windowMs += record.StepMs;
        windowClips += record.Batch;
        if (recent.Count > Window)
        {
            var (ms, clips) = recent.Dequeue();
            windowMs -= ms;
            windowClips -= clips;
        }
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"step {record.Step}/{record.TotalSteps}  loss {Number(record.Loss)}");
        if (record.Terms.Count > 1)
            text.Append(" (").AppendJoin(", ", record.Terms.Select(t => $"{t.Key} {Number(t.Value)}")).Append(')');
        text.Append(CultureInfo.InvariantCulture, $"  lr {record.LearningRate:0.00e+0}");
        if (windowMs > 0)
        {
            if (windowClips > 0) text.Append(CultureInfo.InvariantCulture, $"  {windowClips * 1000.0 / windowMs:0.#} clips/s");
            var left = TimeSpan.FromMilliseconds(windowMs / recent.Count * Math.Max(0, record.TotalSteps - record.Step));
            text.Append("  ETA ").Append(Duration(left));
        }
        return text.ToString();
    }

    private static string Number(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>42s, 3m12s, 2h05m.</summary>
    public static string Duration(TimeSpan time) => time.TotalSeconds < 60
        ? $"{(int)Math.Round(time.TotalSeconds)}s"
        : time.TotalHours < 1
            ? $"{(int)time.TotalMinutes}m{time.Seconds:00}s"
            : $"{(int)time.TotalHours}h{time.Minutes:00}m";
}
