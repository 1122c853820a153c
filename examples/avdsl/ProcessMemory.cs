using System.Globalization;

namespace AvDsl.Cli;

/// <summary>This process's resident memory as Linux reports it in /proc/self; null elsewhere.</summary>
public static class ProcessMemory
{
    /// <summary>Resident memory now (VmRSS), in bytes.</summary>
    public static long? Resident => Status("VmRSS");

    /// <summary>The highest resident memory since the process started or <see cref="ResetPeak"/> (VmHWM), in bytes.</summary>
    public static long? Peak => Status("VmHWM");

    /// <summary>Sets the peak to the current resident size: writing 5 to clear_refs does that (Linux 4.0+).</summary>
    public static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static long? Status(string field)
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path)) return null;
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            var kilobytes = line[(field.Length + 1)..].Trim().Split(' ')[0];
            return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
        }
        return null;
    }
}
