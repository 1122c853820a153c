using System.Collections.Generic;
using System.Linq;

namespace AvDsl.Dsl.Text;

/// <summary>The files one compilation reads, each at its own range of global offsets (as Go's token.FileSet).</summary>
public sealed class SourceSet
{
    private readonly List<SourceFile> _files = new();

    public IReadOnlyList<SourceFile> Files => _files;

    public SourceFile Add(string path, string text)
    {
        var file = new SourceFile(path, text, _files.Count == 0 ? 0 : _files[_files.Count - 1].End + 1);
        _files.Add(file);
        return file;
    }

    public SourceFile? Find(string path) => _files.FirstOrDefault(f => f.Path == path);

    /// <summary>The file a global offset lies in (the first file for an offset outside every file).</summary>
    public SourceFile FileOf(int offset) => _files.FirstOrDefault(f => f.Contains(offset)) ?? _files[0];
}
