namespace AvDsl.Demo;

/// <summary>
/// What a demo-corpus build took: wall time, and the time its workers spent in each stage summed over workers
/// (synthesis: espeak-ng and fluidsynth; drawing: fitting the sound and drawing the frames; encoding: ffmpeg), with
/// the number of processes it started.
/// </summary>
public sealed record DemoCorpusBuildReport(TimeSpan Elapsed, int Clips, int Workers, TimeSpan Synthesis, TimeSpan Drawing, TimeSpan Encoding, int Processes)
{
    public override string ToString() => FormattableString.Invariant(
        $"{Elapsed.TotalSeconds:0.0} s for {Clips} clips on {Workers} workers; summed over workers: synthesis {Synthesis.TotalSeconds:0.0} s, drawing {Drawing.TotalSeconds:0.0} s, encoding {Encoding.TotalSeconds:0.0} s; {Processes} processes");
}
