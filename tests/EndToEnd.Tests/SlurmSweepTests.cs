using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AvDsl.Cli.Sweeps;
using AvDsl.Runtime.Training;
using Xunit;
using Xunit.Abstractions;

namespace AvDsl.EndToEnd.Tests;

/// <summary>
/// `avdsl sweep --launcher slurm` against a real Slurm: a one-node cluster on this machine (munged, slurmctld and slurmd
/// of Debian's slurm-wlm, all in a temporary folder, on ports of their own) takes the sweep's job array and trains every
/// variant; the sweep refuses to submit again while the array runs, and afterwards finds every variant done. Slow: run
/// with <c>--filter Category=Slow</c>. Installs slurm-wlm and munge when they are missing and it runs as root.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class SlurmSweepTests(ITestOutputHelper log)
{
    [Fact]
    [Trait("Category", "Slow")]
    public void A_sweep_submitted_to_slurm_trains_every_variant_as_an_array_task_and_is_then_done()
    {
        var clock = Stopwatch.StartNew();
        using var cluster = SlurmCluster.Start(log);
        log.WriteLine($"cluster up after {clock.Elapsed.TotalSeconds:f1} s; this process is {Environment.ProcessPath}, and starts avdsl as {string.Join(" ", AvDsl.Cli.SelfProcess.Command())}");
        var sweep = Path.Combine(cluster.Folder, "sweep");
        string[] arguments = ["sweep", Repository.Spec("tiny-mae-ablations.avml"), "--steps", "3", "--sweep-dir", sweep, "--launcher", "slurm", "--jobs", "2"];

        var (exit, output, error) = CapturedCli.Run(arguments);
        Assert.True(exit == 0, output + error);
        var job = File.ReadAllText(Path.Combine(sweep, SlurmScript.JobFileName)).Trim();
        Assert.Contains($"submitted job array {job};", output);
        Assert.Contains("#SBATCH --array=0-5%2", File.ReadAllText(Path.Combine(sweep, SlurmScript.FileName)));
        var names = SweepRecord.Read(sweep)!.Variants.Select(v => v.Name).ToList();
        Assert.Equal(6, names.Count);

        // A variant in training has no checkpoint yet, like one killed early: the sweep must ask Slurm before it moves
        // anything aside, and refuse.
        var training = Wait(TimeSpan.FromMinutes(3), () => names.Any(n => VariantState.Of(sweep, n).Progress == VariantProgress.NoCheckpoint) || cluster.Queued(job) == 0);
        (exit, output, error) = CapturedCli.Run(arguments);
        Assert.True(exit != 0, output + error);
        Assert.Contains($"avdsl sweep: job array {job} of this sweep still has", error);
        Assert.Empty(Directory.GetDirectories(sweep, "*.interrupted*"));
        log.WriteLine($"submitted; a second sweep refused{(training ? " while a variant trained" : "")}");

        var finished = Wait(TimeSpan.FromMinutes(10), () => cluster.Queued(job) == 0);
        var slurmLogs = string.Join("\n", Directory.GetFiles(Path.Combine(sweep, "logs")).Order().Select(f => $"== {Path.GetFileName(f)}\n{File.ReadAllText(f)}"));
        Assert.True(finished, $"job array {job} still queued after 10 minutes:\n{cluster.Run("squeue").Output}\n{slurmLogs}");
        log.WriteLine($"array done after {clock.Elapsed.TotalSeconds:f1} s");
        foreach (var name in names)
        {
            var state = VariantState.Of(sweep, name);
            Assert.True(state.Progress == VariantProgress.Done, $"{name} is {state.Progress}:\n{slurmLogs}");
            Assert.True(File.Exists(Path.Combine(state.RunDirectory, Trainer.FinalCheckpointName)));
            Assert.Equal([1L, 2L, 3L], state.Metrics().Select(m => m.Step));
        }

        (exit, output, error) = CapturedCli.Run(arguments);
        Assert.True(exit == 0, output + error);
        Assert.Contains("6 variants, 6 done", output);
        Assert.Contains("every variant is done; nothing to submit", output);
        log.WriteLine($"took {clock.Elapsed.TotalSeconds:f1} s");
    }

    private static bool Wait(TimeSpan limit, Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (condition()) return true;
            Thread.Sleep(500);
        }
        return condition();
    }
}

/// <summary>munged, slurmctld and slurmd for one node, this machine, with their key, configuration, state and logs in a
/// temporary folder; SLURM_CONF points this process (and so sbatch and squeue, and the jobs) at it until disposed.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SlurmCluster : IDisposable
{
    private readonly ITestOutputHelper log;
    private readonly List<Process> daemons = [];
    private readonly string? previousConf;
    private readonly TempFolder temp = new();

    private SlurmCluster(ITestOutputHelper log)
    {
        this.log = log;
        previousConf = Environment.GetEnvironmentVariable("SLURM_CONF");
    }

    public string Folder => temp.Path;

    public static SlurmCluster Start(ITestOutputHelper log)
    {
        Install(log);
        var cluster = new SlurmCluster(log);
        try
        {
            cluster.Boot();
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>Slurm and munge from Debian when missing (as root); otherwise a failure that says what to install.</summary>
    private static void Install(ITestOutputHelper log)
    {
        string[] tools = ["munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo"];
        if (tools.All(t => Which(t) is not null)) return;
        const string advice = "this test needs a single-node Slurm: install Debian's slurm-wlm and munge (apt-get install slurm-wlm munge)";
        if (Environment.UserName != "root" || Which("apt-get") is null)
            Assert.Fail($"{advice}; missing: {string.Join(", ", tools.Where(t => Which(t) is null))}");
        log.WriteLine("installing slurm-wlm and munge");
        var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        var (exit, output) = ProcessRunner.Run("/", "apt-get", environment, "install", "-y", "--no-install-recommends", "slurm-wlm", "munge");
        if (exit != 0)
        {
            ProcessRunner.Run("/", "apt-get", environment, "update", "-qq");
            (exit, output) = ProcessRunner.Run("/", "apt-get", environment, "install", "-y", "--no-install-recommends", "slurm-wlm", "munge");
        }
        Assert.True(exit == 0 && tools.All(t => Which(t) is not null), $"{advice}; apt-get failed:\n{output}");
    }

    private void Boot()
    {
        var folder = Folder;
        var munge = Directory.CreateDirectory(Path.Combine(folder, "munge")).FullName;
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(munge, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var key = Path.Combine(munge, "munge.key");
        Check(Run("mungekey", "--create", "--keyfile", key));
        var socket = Path.Combine(munge, "munge.socket");
        // --force: munged otherwise refuses a socket folder only its owner may enter.
        Daemon("munged", "--foreground", "--force", $"--key-file={key}", $"--socket={socket}", $"--pid-file={munge}/munged.pid",
            $"--log-file={munge}/munged.log", $"--seed-file={munge}/munged.seed");
        if (!Wait(TimeSpan.FromSeconds(20), () => File.Exists(socket)))
            throw new InvalidOperationException($"munged did not start:\n{Logs()}");

        var host = Run("hostname", "-s").Output.Trim();
        var cpus = Math.Min(2, Environment.ProcessorCount);
        var memory = File.ReadLines("/proc/meminfo").Where(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024 * 9 / 10).First();
        var conf = Path.Combine(folder, "slurm.conf");
        File.WriteAllText(conf, $"""
            ClusterName=avdsltest
            SlurmctldHost={host}(127.0.0.1)
            SlurmUser=root
            SlurmdUser=root
            AuthType=auth/munge
            CredType=cred/munge
            AuthInfo=socket={socket}
            SlurmctldPort={FreePort()}
            SlurmdPort={FreePort()}
            StateSaveLocation={Directory.CreateDirectory(Path.Combine(folder, "state")).FullName}
            SlurmdSpoolDir={Directory.CreateDirectory(Path.Combine(folder, "spool")).FullName}
            SlurmctldPidFile={folder}/slurmctld.pid
            SlurmdPidFile={folder}/slurmd.pid
            SlurmctldLogFile={folder}/slurmctld.log
            SlurmdLogFile={folder}/slurmd.log
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            SchedulerType=sched/backfill
            ReturnToService=2
            MpiDefault=none
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            NodeName={host} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={memory} State=UNKNOWN
            PartitionName=debug Nodes={host} Default=YES MaxTime=INFINITE State=UP

            """);
        Environment.SetEnvironmentVariable("SLURM_CONF", conf);
        Daemon("slurmctld", "-D", "-f", conf);
        Daemon("slurmd", "-D", "-f", conf);
        string state = "";
        if (!Wait(TimeSpan.FromSeconds(60), () => (state = Run("sinfo", "--noheader", "--format=%t").Output.Trim()) == "idle"))
            throw new InvalidOperationException($"the node is not idle after a minute (sinfo: '{state}'):\n{Logs()}");
    }

    /// <summary>How many tasks of the job Slurm still queues or runs.</summary>
    public int Queued(string job)
    {
        var (exit, output) = Run("squeue", "--noheader", "--array", "--format=%i", "--jobs", job);
        return exit == 0 ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length : 0;
    }

    public (int Exit, string Output) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(Which(program) ?? program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{program} did not answer within 30 s");
        }
        return (process.ExitCode, output.Result + error.Result);
    }

    private static void Check((int Exit, string Output) result)
    {
        if (result.Exit != 0) throw new InvalidOperationException(result.Output);
    }

    private void Daemon(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(Which(program) ?? program) { UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Its own output goes to a file of the folder: a daemon outlives no pipe it writes to.
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        var process = Process.Start(start)!;
        var output = new StreamWriter(Path.Combine(Folder, program + ".out")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        daemons.Add(process);
    }

    private string Logs() => string.Join("\n", Directory.GetFiles(Folder, "*.out").Concat(Directory.GetFiles(Folder, "*.log"))
        .Select(f => $"== {Path.GetFileName(f)}\n{string.Join("\n", File.ReadLines(f).TakeLast(30))}"));

    /// <summary>Stops the daemons it started (slurmd, slurmctld, munged: the reverse of their start), kills the jobs still
    /// running under slurmd, and removes the folder.</summary>
    public void Dispose()
    {
        // slurmstepd outlives slurmd: the jobs go first, so that no training is left running.
        if (daemons.Count == 3 && daemons.All(d => !d.HasExited) && Run("scancel", "--partition=debug").Exit == 0)
            Wait(TimeSpan.FromSeconds(30), () => Run("squeue", "--noheader").Output.Trim().Length == 0);
        foreach (var daemon in Enumerable.Reverse(daemons))
        {
            try
            {
                if (!daemon.HasExited)
                {
                    Run("kill", "-TERM", daemon.Id.ToString(CultureInfo.InvariantCulture));
                    if (!daemon.WaitForExit(TimeSpan.FromSeconds(15))) daemon.Kill(entireProcessTree: true);
                }
                daemon.WaitForExit();
            }
            catch (InvalidOperationException)
            {
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
            log.WriteLine($"{Path.GetFileName(SafeName(daemon))} stopped");
            daemon.Dispose();
        }
        Environment.SetEnvironmentVariable("SLURM_CONF", previousConf);
        temp.Dispose();
    }

    private static string SafeName(Process process)
    {
        try { return process.StartInfo.FileName; }
        catch (InvalidOperationException) { return "daemon"; }
    }

    private static bool Wait(TimeSpan limit, Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (condition()) return true;
            Thread.Sleep(250);
        }
        return condition();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Concat(["/usr/sbin", "/sbin"]).Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
}
