using System.Runtime.CompilerServices;

namespace AvDsl.Generator.Tests;

/// <summary>Approved-file snapshots: the approved text lives in Snapshots/ in the repository. On a mismatch the
/// received text is written beside it and the test fails with the first differing lines; set
/// AVDSL_ACCEPT_SNAPSHOTS=1 to accept the received text instead.</summary>
public static class Snapshot
{
    public static void Match(string name, string actual, [CallerFilePath] string callerFile = "")
    {
        var folder = Path.Combine(Path.GetDirectoryName(callerFile)!, "Snapshots");
        var approvedPath = Path.Combine(folder, name + ".approved.txt");
        var receivedPath = Path.Combine(folder, name + ".received.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath) : null;
        if (approved == actual)
        {
            File.Delete(receivedPath);
            return;
        }
        if (Environment.GetEnvironmentVariable("AVDSL_ACCEPT_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(approvedPath, actual);
            File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, actual);
        throw new Xunit.Sdk.XunitException(approved is null
            ? $"no approved snapshot {approvedPath}; review {receivedPath} and rerun with AVDSL_ACCEPT_SNAPSHOTS=1 to accept it"
            : $"snapshot {name} differs from {approvedPath}:\n{FirstDifference(approved, actual)}\nreceived text: {receivedPath}; rerun with AVDSL_ACCEPT_SNAPSHOTS=1 to accept it");
    }

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var left = i < e.Length ? e[i] : "<end of file>";
            var right = i < a.Length ? a[i] : "<end of file>";
            if (left != right) return $"line {i + 1}:\n- {left}\n+ {right}";
        }
        return "(only line endings differ)";
    }
}
