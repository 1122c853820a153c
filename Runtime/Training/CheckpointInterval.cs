using System.Globalization;

namespace AvDsl.Runtime.Training;

/// <summary>
/// How often a run writes its periodic checkpoint (checkpoint-step-N.safetensors, of which only the newest is
/// kept): every so many steps, every so much wall time, or never. Where the checkpoints fall never changes the
/// numbers a run computes, so a time-based interval keeps runs reproducible.
/// </summary>
public sealed record CheckpointInterval
{
    private CheckpointInterval(long? steps, TimeSpan? time)
    {
        EverySteps = steps;
        EveryTime = time;
    }

    /// <summary>Every five minutes: an interrupted run loses at most that much work, whatever its step time.</summary>
    public static CheckpointInterval Default { get; } = new(null, TimeSpan.FromMinutes(5));

    public static CheckpointInterval Never { get; } = new(null, null);

    public long? EverySteps { get; }

    public TimeSpan? EveryTime { get; }

    public static CheckpointInterval Steps(long steps) =>
        steps > 0 ? new(steps, null) : throw new ArgumentOutOfRangeException(nameof(steps), $"a checkpoint interval needs at least one step, got {steps}.");

    public static CheckpointInterval Time(TimeSpan time) =>
        time > TimeSpan.Zero ? new(null, time) : throw new ArgumentOutOfRangeException(nameof(time), $"a checkpoint interval needs a positive time, got {time}.");

    /// <summary>True when a checkpoint is due after <paramref name="step"/> (1-based) with <paramref name="sinceLast"/> elapsed since the last one.</summary>
    public bool IsDue(long step, TimeSpan sinceLast) =>
        EverySteps is { } steps ? step % steps == 0 : EveryTime is { } time && sinceLast >= time;

    /// <summary>
    /// "200" (steps), "30s", "10m", "2h" (wall time) or "never"; throws <see cref="FormatException"/> naming the
    /// accepted forms for anything else.
    /// </summary>
    public static CheckpointInterval Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Equals("never", StringComparison.OrdinalIgnoreCase))
            return Never;
        if (long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var steps) && steps > 0)
            return Steps(steps);
        if (TimeText.Parse(trimmed) is { } time)
            return Time(time);
        throw new FormatException($"'{text}' is not a checkpoint interval; write a step count (200), a time (30s, 10m, 2h) or never.");
    }

    public override string ToString() =>
        EverySteps is { } steps ? $"every {steps} steps" : EveryTime is { } time ? $"every {time}" : "never";
}
