namespace AvDsl.Cli.InProcess;

/// <summary>A spec file or a file it imports, as the generator is given it: its absolute path, the path generated code
/// names it by (relative to the spec file's folder, as the generator shortens it), and its text.</summary>
public sealed record SpecSourceFile(string FullPath, string RelativePath, string Text)
{
    /// <param name="root">The spec file's folder, ending in a slash.</param>
    public static SpecSourceFile Of(string path, string text, string root)
    {
        var full = Path.GetFullPath(path);
        return new SpecSourceFile(full, full.StartsWith(root, StringComparison.Ordinal) ? full[root.Length..] : full, text);
    }
}
