using System.Diagnostics;
using System.Text.Json;

namespace AvDsl.Benchmarks;

/// <summary>
/// Runs one of the PyTorch eager scripts beside this program (vit_step.py, eat_step.py) and returns the JSON line it
/// prints last. The child gets this process's OMP_WAIT_POLICY, so both sides wait for work the same way, and with
/// --same-tuning also the OpenBLAS and glibc malloc settings AvDsl's runtime makes for itself.
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
            Tune(start);
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

    /// <summary>Whether the child also gets AvDsl's OPENBLAS_THREAD_TIMEOUT and malloc thresholds (option --same-tuning).</summary>
    public static bool SameTuning { get; set; }

    /// <summary>AvDsl's defaults (Runtime's ThreadSettings and MallocSettings) as environment variables; a value the user set wins.</summary>
    private static readonly (string Name, string Value)[] RuntimeTuning =
        [("OPENBLAS_THREAD_TIMEOUT", "16"), ("MALLOC_MMAP_THRESHOLD_", $"{32 << 20}"), ("MALLOC_TRIM_THRESHOLD_", $"{int.MaxValue}")];

    public static string TuningDescription => SameTuning
        ? "OMP_WAIT_POLICY, OPENBLAS_THREAD_TIMEOUT and malloc thresholds the same on both sides (--same-tuning)"
        : $"OMP_WAIT_POLICY={WaitPolicy} on both sides; AvDsl's own OPENBLAS_THREAD_TIMEOUT and malloc thresholds not given to PyTorch (--same-tuning does)";

    public static void Tune(ProcessStartInfo start)
    {
        start.Environment["OMP_WAIT_POLICY"] = WaitPolicy;
        if (!SameTuning) return;
        foreach (var (name, value) in RuntimeTuning)
            start.Environment[name] = Environment.GetEnvironmentVariable(name) ?? value;
    }
}
