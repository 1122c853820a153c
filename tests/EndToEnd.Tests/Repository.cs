namespace AvDsl.EndToEnd.Tests;

public static class Repository
{
    public static string Root { get; } = Find();

    public static string Spec(string name) => Path.Combine(Root, "specs", name);

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AvDsl.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("AvDsl.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A temporary folder removed after the test.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("avdsl-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
