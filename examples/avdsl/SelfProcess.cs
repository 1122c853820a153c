namespace AvDsl.Cli;

/// <summary>
/// How to start this avdsl again as a process (the ranks of <c>train --nproc</c>, the variants of <c>sweep --jobs</c>, a
/// Slurm task): its apphost when it runs as one, else <c>dotnet avdsl.dll</c>. The program that runs it is not always
/// avdsl: in a test host (the CLI called in process) Environment.ProcessPath is that host, which knows no avdsl
/// commands, so avdsl.dll is then started with the dotnet that runs this process, or DOTNET_HOST_PATH's, or PATH's.
/// </summary>
public static class SelfProcess
{
    /// <summary>The program and its leading arguments, before avdsl's own.</summary>
    public static IReadOnlyList<string> Command()
    {
        var program = Environment.ProcessPath;
        var dll = typeof(SelfProcess).Assembly.Location;
        if (program is not null && Path.GetFileNameWithoutExtension(program) == Path.GetFileNameWithoutExtension(dll))
            return [program];
        var dotnet = program is not null && Path.GetFileNameWithoutExtension(program) == "dotnet" ? program
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
            : "dotnet";
        return [dotnet, dll];
    }

    /// <summary>A start of avdsl with <paramref name="arguments"/>, not through a shell.</summary>
    public static System.Diagnostics.ProcessStartInfo Start(IEnumerable<string> arguments)
    {
        var command = Command();
        var start = new System.Diagnostics.ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var argument in command.Skip(1).Concat(arguments)) start.ArgumentList.Add(argument);
        return start;
    }
}
