using System.Globalization;
using System.Text;

namespace AvDsl.Cli.Sweeps;

/// <summary>
/// The sbatch script of a sweep: a job array with one task per variant still to run, each running <c>avdsl train</c>
/// on its variant into its run directory (or <c>--resume</c> when that holds a checkpoint), through <c>srun</c> with one
/// task per process when the variant trains data-parallel (the ranks read Slurm's SLURM_PROCID and friends). Nothing
/// stays alive on the submitting machine: <c>avdsl sweep</c> again shows where the variants stand and submits the rest.
/// </summary>
public static class SlurmScript
{
    public const string FileName = "sweep.sbatch";
    public const string VariantsFileName = "slurm-variants.txt";
    public const string JobFileName = "slurm-job.txt";

    /// <param name="command">How to start avdsl on a node: the program and its leading arguments.</param>
    /// <param name="train">Each variant's <c>avdsl train</c> arguments after the program, one line per array task.</param>
    /// <param name="processes">Data-parallel processes per variant (Slurm tasks on one node).</param>
    /// <param name="parallel">At most this many variants at once (the array's <c>%N</c>); null: as Slurm allows.</param>
    public static string Render(string sweepName, string directory, IReadOnlyList<string> command, int variants, int processes, int? parallel)
    {
        var text = new StringBuilder();
        text.AppendLine("#!/bin/bash");
        text.AppendLine($"# avdsl sweep {sweepName}: one array task per variant; the lines of {VariantsFileName} are their `avdsl train` arguments.");
        text.AppendLine($"#SBATCH --job-name=avdsl-{sweepName}");
        text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{variants - 1}{(parallel is { } n ? $"%{n}" : "")}");
        text.AppendLine("#SBATCH --nodes=1");
        text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --ntasks-per-node={processes}");
        // sbatch reads #SBATCH lines itself, without a shell: a path with spaces is double-quoted, as it understands.
        var log = Path.Combine(directory, "logs", "slurm-%A_%a.out");
        text.AppendLine($"#SBATCH --output={(log.Any(char.IsWhiteSpace) ? $"\"{log}\"" : log)}");
        text.AppendLine("set -euo pipefail");
        text.AppendLine($"cd {Quote(Directory.GetCurrentDirectory())}");
        text.AppendLine($"line=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" {Quote(Path.Combine(directory, VariantsFileName))})");
        text.AppendLine("eval \"set -- $line\"");
        // libtorch's threads: the CPUs Slurm gave each task when sbatch was asked for them (--cpus-per-task).
        text.AppendLine("if [ -n \"${SLURM_CPUS_PER_TASK:-}\" ] && [ -z \"${AVDSL_THREADS:-}\" ]; then export AVDSL_THREADS=$SLURM_CPUS_PER_TASK; fi");
        var program = string.Join(" ", command.Select(Quote));
        // One process: no rendezvous. Several: srun starts them and Slurm's variables place each.
        if (processes == 1)
            text.AppendLine($"exec {program} train \"$@\"");
        else
        {
            text.AppendLine("export MASTER_ADDR=$(hostname)");
            text.AppendLine("export MASTER_PORT=$((20000 + SLURM_JOB_ID % 20000))");
            text.AppendLine($"exec srun {program} train \"$@\"");
        }
        return text.ToString();
    }

    /// <summary>A line of arguments the script's <c>eval set --</c> splits back as they were.</summary>
    public static string ArgumentLine(IEnumerable<string> arguments) => string.Join(" ", arguments.Select(Quote));

    /// <summary>Single-quoted for bash, so nothing in it is expanded.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "'\\''") + "'";
}
