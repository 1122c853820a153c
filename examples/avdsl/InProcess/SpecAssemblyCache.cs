namespace AvDsl.Cli.InProcess;

/// <summary>The folder of spec assemblies compiled at run time, one <c>&lt;key&gt;.dll</c> per <see cref="SpecAssemblyKey"/>.
/// Written under a temporary name and renamed, so a reader (another avdsl at the same moment) never sees half a file.</summary>
public sealed class SpecAssemblyCache(string folder)
{
    public string Folder { get; } = folder;

    /// <summary><c>$XDG_CACHE_HOME/avdsl/specs</c>, else <c>~/.cache/avdsl/specs</c>.</summary>
    public static SpecAssemblyCache Default()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg) ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify), ".cache");
        return new SpecAssemblyCache(Path.Combine(root, "avdsl", "specs"));
    }

    public string AssemblyPath(string key) => Path.Combine(Folder, key + ".dll");

    /// <summary>Where the C# generated for a key is written when it does not compile, for a bug report.</summary>
    public string FailedSourcesFolder(string key) => Path.Combine(Folder, key + ".failed");

    public string Store(string key, ReadOnlySpan<byte> image)
    {
        Directory.CreateDirectory(Folder);
        var path = AssemblyPath(key);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temporary, image.ToArray());
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    public string StoreFailedSources(string key, IEnumerable<(string Name, string Text)> sources)
    {
        var folder = FailedSourcesFolder(key);
        Directory.CreateDirectory(folder);
        foreach (var (name, text) in sources) File.WriteAllText(Path.Combine(folder, name), text);
        return folder;
    }
}
