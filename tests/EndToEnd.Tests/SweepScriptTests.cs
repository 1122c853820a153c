using System.Diagnostics;
using AvDsl.Cli;
using AvDsl.Cli.Sweeps;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>The sbatch script of `avdsl sweep --launcher slurm`, without Slurm: what it asks of sbatch, that bash gives
/// each array task its variant's arguments back as they were, and what a machine without Slurm is told.</summary>
public class SweepScriptTests
{
    private static readonly string[] Program = ["/opt/dotnet/dotnet", "/opt/avdsl/avdsl.dll"];

    [Fact]
    public void One_process_per_variant_is_one_task_each_and_the_array_runs_at_most_jobs_at_once()
    {
        var script = SlurmScript.Render("mask-ratio", "/sweeps/mask-ratio", Program, variants: 6, processes: 1, parallel: 2);
        var lines = script.Split('\n');
        Assert.Equal("#!/bin/bash", lines[0]);
        Assert.Contains("#SBATCH --job-name=avdsl-mask-ratio", lines);
        Assert.Contains("#SBATCH --array=0-5%2", lines);
        Assert.Contains("#SBATCH --nodes=1", lines);
        Assert.Contains("#SBATCH --ntasks-per-node=1", lines);
        Assert.Contains("#SBATCH --output=/sweeps/mask-ratio/logs/slurm-%A_%a.out", lines);
        Assert.Contains("exec '/opt/dotnet/dotnet' '/opt/avdsl/avdsl.dll' train \"$@\"", lines);
        Assert.Contains("if [ -n \"${SLURM_CPUS_PER_TASK:-}\" ] && [ -z \"${AVDSL_THREADS:-}\" ]; then export AVDSL_THREADS=$SLURM_CPUS_PER_TASK; fi", lines);
        Assert.DoesNotContain("srun", script);
        Assert.DoesNotContain("MASTER_ADDR", script);
    }

    [Fact]
    public void Two_processes_per_variant_are_two_tasks_on_one_node_started_by_srun_and_no_limit_leaves_out_the_percent()
    {
        var script = SlurmScript.Render("mask-ratio", "/sweeps/my sweep", Program, variants: 3, processes: 2, parallel: null);
        var lines = script.Split('\n');
        Assert.Contains("#SBATCH --array=0-2", lines);
        Assert.Contains("#SBATCH --ntasks-per-node=2", lines);
        // sbatch reads #SBATCH lines without a shell: a path with a space is double-quoted.
        Assert.Contains("#SBATCH --output=\"/sweeps/my sweep/logs/slurm-%A_%a.out\"", lines);
        Assert.Contains("export MASTER_ADDR=$(hostname)", lines);
        Assert.Contains("export MASTER_PORT=$((20000 + SLURM_JOB_ID % 20000))", lines);
        Assert.Contains("exec srun '/opt/dotnet/dotnet' '/opt/avdsl/avdsl.dll' train \"$@\"", lines);
    }

    // What bash must give back: a space, both quotes, a dollar, a backquote, a backslash, a glob, an empty argument.
    private static readonly string[] Awkward =
    [
        "/tmp/a sweep/it's.avml", "--spec", "MaskRatio_1", "--set", "title=\"Tiny\" $HOME `id` \\n *", "",
    ];

    [Fact]
    public void An_argument_line_splits_back_in_bash_into_the_arguments_it_was_made_of()
    {
        var line = SlurmScript.ArgumentLine(Awkward);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", "eval \"set -- $line\"; printf '%s\\0' \"$@\"" }) start.ArgumentList.Add(argument);
        start.Environment["line"] = line;
        Assert.Equal(Awkward, Run(start));
    }

    [Fact]
    public void Each_array_task_of_the_script_runs_avdsl_train_with_its_own_line_of_arguments()
    {
        using var temp = new TempFolder();
        // A stand-in for avdsl that prints the arguments it gets.
        var program = Path.Combine(temp.Path, "print args");
        File.WriteAllText(program, "printf '%s\\0' \"$@\"\n");
        string[][] variants = [["--resume", "/runs/a"], Awkward, ["x"]];
        File.WriteAllLines(Path.Combine(temp.Path, SlurmScript.VariantsFileName), variants.Select(SlurmScript.ArgumentLine));
        var script = Path.Combine(temp.Path, SlurmScript.FileName);
        File.WriteAllText(script, SlurmScript.Render("s", temp.Path, ["bash", program], variants.Length, processes: 1, parallel: null));
        for (var task = 0; task < variants.Length; task++)
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(script);
            start.Environment["SLURM_ARRAY_TASK_ID"] = task.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(["train", .. variants[task]], Run(start));
        }
    }

    [Fact]
    public void Within_a_test_host_avdsl_starts_again_as_dotnet_avdsl_dll_not_as_the_host()
    {
        var command = SelfProcess.Command();
        Assert.Equal(2, command.Count);
        Assert.Equal("dotnet", Path.GetFileNameWithoutExtension(command[0]));
        Assert.Equal(typeof(SelfProcess).Assembly.Location, command[1]);
        Assert.Equal("avdsl.dll", Path.GetFileName(command[1]));
    }

    [Fact]
    public void Without_sbatch_on_path_the_sweep_says_slurm_is_not_installed_and_leaves_the_script()
    {
        using var temp = new TempFolder();
        var sweep = Path.Combine(temp.Path, "sweep");
        var noSlurm = Directory.CreateDirectory(Path.Combine(temp.Path, "bin")).FullName;
        // avdsl as a user starts it, with a PATH that holds no sbatch (this machine may have Slurm installed).
        var (exit, output) = ProcessRunner.Run(temp.Path, SelfProcess.Command()[0], new Dictionary<string, string> { ["PATH"] = noSlurm },
            SelfProcess.Command()[1], "sweep", Repository.Spec("tiny-mae-ablations.avml"), "--steps", "3", "--sweep-dir", sweep, "--launcher", "slurm", "--jobs", "2");
        Assert.True(exit != 0, output);
        Assert.Contains($"avdsl sweep: sbatch is not on PATH: Slurm is not installed here. {Path.Combine(sweep, SlurmScript.FileName)} is written; " +
                        "submit it where Slurm runs, or leave out --launcher slurm to train here", output);
        Assert.Contains("#SBATCH --array=0-5%2", File.ReadAllText(Path.Combine(sweep, SlurmScript.FileName)));
        Assert.Equal(6, File.ReadAllLines(Path.Combine(sweep, SlurmScript.VariantsFileName)).Length);
        Assert.False(File.Exists(Path.Combine(sweep, SlurmScript.JobFileName)));
    }

    private static string[] Run(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        var text = output.Result;
        Assert.EndsWith("\0", text);
        return text[..^1].Split('\0');
    }
}
