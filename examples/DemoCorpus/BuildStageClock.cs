using System.Diagnostics;

namespace AvDsl.Demo;

/// <summary>A stage of a demo-corpus build whose time <see cref="BuildStageClock"/> sums over workers.</summary>
public enum BuildStage { Synthesis, Drawing, Encoding }

/// <summary>Time spent in each <see cref="BuildStage"/>, summed over the workers that ran it, and processes started.</summary>
public sealed class BuildStageClock
{
    private readonly long[] ticks = new long[Enum.GetValues<BuildStage>().Length];
    private int processes;

    /// <summary>Times the stage until the returned scope is disposed; <paramref name="processes"/> it starts are counted.</summary>
    public Scope Time(BuildStage stage, int processes = 0)
    {
        Interlocked.Add(ref this.processes, processes);
        return new Scope(this, stage, Stopwatch.GetTimestamp());
    }

    public DemoCorpusBuildReport Report(TimeSpan elapsed, int clips, int workers) =>
        new(elapsed, clips, workers, Spent(BuildStage.Synthesis), Spent(BuildStage.Drawing), Spent(BuildStage.Encoding), processes);

    private TimeSpan Spent(BuildStage stage) => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref ticks[(int)stage]));

    public readonly struct Scope(BuildStageClock clock, BuildStage stage, long start) : IDisposable
    {
        public void Dispose() => Interlocked.Add(ref clock.ticks[(int)stage], Stopwatch.GetTimestamp() - start);
    }
}
