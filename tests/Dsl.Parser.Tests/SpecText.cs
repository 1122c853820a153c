namespace AvDsl.Dsl.Tests;

/// <summary>The repository's spec files, read from specs/ so tests check what users run.</summary>
public static class SpecText
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Read(string name) => File.ReadAllText(Path.Combine(RepositoryRoot, "specs", name));

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AvDsl.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("AvDsl.sln not found above " + AppContext.BaseDirectory);
    }
}
