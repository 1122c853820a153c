namespace AvDsl.Cli.Commands;

/// <summary>What <c>avdsl sweep</c> was asked for, as typed.</summary>
/// <param name="File">A spec file holding a sweep, or several specs.</param>
/// <param name="Sweep">Which sweep of a file that holds several.</param>
/// <param name="Directory">The sweep directory; sweeps/&lt;name&gt; when null.</param>
/// <param name="Steps">Train every variant this many steps instead of the spec's.</param>
/// <param name="Jobs">Variants at once (local), or the job array's limit (Slurm).</param>
/// <param name="Launcher">local or slurm.</param>
/// <param name="Processes">Data-parallel processes per variant.</param>
/// <param name="Set">Spec overrides applied to every variant.</param>
public sealed record SweepOptions(
    string File,
    string? Sweep = null,
    string? Directory = null,
    long? Steps = null,
    int Jobs = 1,
    string Launcher = "local",
    int Processes = 1,
    IReadOnlyList<string>? Set = null);
