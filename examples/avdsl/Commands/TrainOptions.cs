namespace AvDsl.Cli.Commands;

/// <summary>What <c>avdsl train</c> was asked for, as typed.</summary>
/// <param name="Spec">A spec file or spec name; may be null with <paramref name="Resume"/> (the run's own spec is used).</param>
/// <param name="SpecName">Which spec of a file that holds several.</param>
/// <param name="Steps">Train this many steps instead of the spec's.</param>
/// <param name="Runs">The folder run directories are created in.</param>
/// <param name="RunDirectory">Exactly this run directory (it must not exist yet).</param>
/// <param name="Device">auto, cpu, cuda or cuda:N; the spec's when null.</param>
/// <param name="CheckpointEvery">A step count, a time (30s, 10m, 2h) or never; the default interval when null.</param>
/// <param name="Resume">A run directory to continue.</param>
/// <param name="CountFlops">Log each step's counted FLOPs.</param>
/// <param name="Processes">Data-parallel processes to start on this machine (<c>--nproc</c>); one when null.</param>
/// <param name="DistributedTimeout">How long ranks wait for each other (<c>--dist-timeout</c>, 90s, 10m); ten minutes when null.</param>
/// <param name="Set">Spec overrides, <c>path=value</c> each (<c>--set</c>).</param>
public sealed record TrainOptions(
    string? Spec,
    string? SpecName = null,
    long? Steps = null,
    string Runs = "runs",
    string? RunDirectory = null,
    string? Device = null,
    string? CheckpointEvery = null,
    string? Resume = null,
    bool CountFlops = false,
    int? Processes = null,
    string? DistributedTimeout = null,
    IReadOnlyList<string>? Set = null);
