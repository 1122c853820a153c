using System.Diagnostics;
using System.Text.Json;

namespace AvDsl.Benchmarks;

/// <summary>
/// Runs one of the PyTorch eager scripts beside this program (vit_step.py, eat_step.py) and returns the JSON line it
/// prints last. The child gets this process's OMP_WAIT_POLICY, so both sides wait for work the same way.
/// </summary>
internal static class PythonSide
{
    /// <summary>The script's JSON result, or null (with the reason printed) when no python3 can import torch or the script fails.</summary>
    public static JsonElement? Run(string? python, string script, IEnumerable<string> arguments, bool quiet)
    {
        var path = Path.Combine(AppContext.BaseDirectory, script);
        foreach (var interpreter in python is { } p ? [p] : new[] { "python3", "/usr/bin/python3" })
        {
            var start = new ProcessStartInfo(interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.Environment["OMP_WAIT_POLICY"] = WaitPolicy;
            start.ArgumentList.Add(path);
            foreach (var a in arguments)
                start.ArgumentList.Add(a);
            Process process;
            try { process = Process.Start(start)!; }
            catch (System.ComponentModel.Win32Exception) { continue; }
            using (process)
            {
                var stderrTask = process.StandardError.ReadToEndAsync();
                var stdout = process.StandardOutput.ReadToEnd();
                var stderr = stderrTask.Result;
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    if (stderr.Contains("No module named 'torch'", StringComparison.Ordinal)) continue;
                    Console.WriteLine($"{interpreter} {script} failed: {stderr.Trim()}");
                    return null;
                }
                using var json = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
                var root = json.RootElement.Clone();
                if (!quiet)
                    Console.WriteLine($"PyTorch side: {interpreter}, torch {root.GetProperty("torch").GetString()}, threads {root.GetProperty("threads").GetInt32()}");
                return root;
            }
        }
        Console.WriteLine("PyTorch side skipped: no python3 that can import torch (Debian: apt-get install python3-torch).");
        return null;
    }

    /// <summary>
    /// AvDsl sets OMP_WAIT_POLICY=PASSIVE through libc when the user has not chosen one (Runtime's ThreadSettings);
    /// .NET's view of the environment does not show that, so the Python child is given the same value explicitly.
    /// </summary>
    public static string WaitPolicy => Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "PASSIVE";
}
