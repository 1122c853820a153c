using System.Diagnostics;

namespace AvDsl.Cli;

/// <summary>
/// <c>avdsl train --nproc N</c>: this machine's torchrun. Starts N copies of this command with torchrun's variables
/// (RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR=127.0.0.1, MASTER_PORT a free port), passes their output
/// through, and when one exits with an error stops the others and names it.
/// </summary>
public static class LocalLauncher
{
    /// <summary>The processes' outcome: 0 when every rank finished, else the failed rank's exit code (1 if it had none).</summary>
    public static int Launch(int processes, IReadOnlyList<string> arguments, TextWriter error, TimeSpan grace)
    {
        var port = AvDsl.Runtime.Torch.Distributed.TcpStore.FreeLoopbackPort();
        var children = new List<Process>();
        try
        {
            for (var rank = 0; rank < processes; rank++)
            {
                // `dotnet avdsl.dll …` or the apphost: run the same entry point again.
                var start = SelfProcess.Start(arguments);
                var rankText = rank.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var size = processes.ToString(System.Globalization.CultureInfo.InvariantCulture);
                start.Environment["RANK"] = rankText;
                start.Environment["LOCAL_RANK"] = rankText;
                start.Environment["WORLD_SIZE"] = size;
                start.Environment["LOCAL_WORLD_SIZE"] = size;
                start.Environment["MASTER_ADDR"] = "127.0.0.1";
                start.Environment["MASTER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                children.Add(Process.Start(start)!);
            }
            var remaining = children.ToList();
            while (remaining.Count > 0)
            {
                var exited = remaining.FirstOrDefault(p => p.HasExited);
                if (exited is null)
                {
                    Thread.Sleep(50);
                    continue;
                }
                remaining.Remove(exited);
                if (exited.ExitCode == 0) continue;
                var rank = children.IndexOf(exited);
                error.WriteLine($"avdsl train: rank {rank} of {processes} {Describe(exited.ExitCode)}; stopping the other ranks");
                Stop(remaining, grace);
                return exited.ExitCode > 0 && exited.ExitCode < 128 ? exited.ExitCode : 1;
            }
            return 0;
        }
        finally
        {
            Stop(children.Where(c => !c.HasExited), grace);
            foreach (var child in children)
                child.Dispose();
        }
    }

    private static string Describe(int exitCode) =>
        exitCode > 128 ? $"was killed by signal {exitCode - 128}" : $"exited with code {exitCode}";

    // The others are waiting in a collective for the dead rank: ask them to stop, then make them.
    private static void Stop(IEnumerable<Process> processes, TimeSpan grace)
    {
        foreach (var process in processes.ToList())
        {
            try
            {
                if (!process.WaitForExit(grace))
                    process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
