using System.Diagnostics;
using System.Text.Json;

namespace AvDsl.Benchmarks;

/// <summary>
/// A PyTorch script kept running with <c>--serve</c> (eat_step.py): each <see cref="Steps"/> call asks it for a batch of
/// training steps and returns its JSON answer, so the two sides can alternate in short turns without paying Python's
/// start-up and warm-up in every turn. The child gets this process's OMP_WAIT_POLICY.
/// </summary>
internal sealed class PythonWorker : IDisposable
{
    private readonly Process _process;

    private PythonWorker(Process process, JsonElement ready)
    {
        _process = process;
        Ready = ready;
    }

    /// <summary>The script's first line: its torch version and thread count.</summary>
    public JsonElement Ready { get; }

    public string Interpreter => _process.StartInfo.FileName;

    /// <summary>The worker, or null (with the reason printed) when no python3 can import torch or the script fails to start.</summary>
    public static PythonWorker? Start(string? python, string script, IEnumerable<string> arguments)
    {
        var path = Path.Combine(AppContext.BaseDirectory, script);
        foreach (var interpreter in python is { } p ? [p] : new[] { "python3", "/usr/bin/python3" })
        {
            var start = new ProcessStartInfo(interpreter)
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            PythonSide.Tune(start);
            start.ArgumentList.Add(path);
            foreach (var a in arguments)
                start.ArgumentList.Add(a);
            start.ArgumentList.Add("--serve");
            Process process;
            try { process = Process.Start(start)!; }
            catch (System.ComponentModel.Win32Exception) { continue; }
            var stderr = new System.Text.StringBuilder();
            process.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
            process.BeginErrorReadLine();
            if (process.StandardOutput.ReadLine() is { } line)
            {
                using var json = JsonDocument.Parse(line);
                return new PythonWorker(process, json.RootElement.Clone());
            }
            process.WaitForExit();
            var message = stderr.ToString();
            process.Dispose();
            if (message.Contains("No module named 'torch'", StringComparison.Ordinal)) continue;
            Console.WriteLine($"{interpreter} {script} failed: {message.Trim()}");
            return null;
        }
        Console.WriteLine("PyTorch side skipped: no python3 that can import torch (Debian: apt-get install python3-torch).");
        return null;
    }

    /// <summary>Runs <paramref name="warmup"/> untimed then <paramref name="timed"/> timed steps in the worker; its JSON answer.</summary>
    public JsonElement Steps(int warmup, int timed)
    {
        _process.StandardInput.WriteLine($"{warmup} {timed}");
        _process.StandardInput.Flush();
        var line = _process.StandardOutput.ReadLine()
            ?? throw new InvalidOperationException($"the PyTorch worker ({Interpreter}) exited without answering");
        using var json = JsonDocument.Parse(line);
        return json.RootElement.Clone();
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine();
            _process.StandardInput.Close();
            _process.WaitForExit(10_000);
        }
        finally
        {
            _process.Dispose();
        }
    }
}
