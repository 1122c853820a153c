using System.Diagnostics;

namespace AvDsl.Runtime.Tests;

/// <summary>
/// Finds a Python that can <c>import torch</c> (PATH's python3 first, then Debian's /usr/bin/python3, which
/// python3-torch installs into) and runs committed scripts with it.
/// </summary>
internal static class PythonWithTorch
{
    private static readonly Lazy<string?> s_interpreter = new(Find);

    public static string? Interpreter => s_interpreter.Value;

    private static string? Find()
    {
        foreach (var candidate in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                var (code, _, _) = Run(candidate, ["-c", "import torch"], TimeSpan.FromSeconds(60));
                if (code == 0)
                    return candidate;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed under this name
            }
        }
        return null;
    }

    public static (int ExitCode, string Stdout, string Stderr) Run(string interpreter, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{interpreter} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
