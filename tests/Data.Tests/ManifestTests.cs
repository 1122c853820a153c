using AvDsl.Runtime.Data;

namespace AvDsl.Data.Tests;

public sealed class ManifestTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("avdsl-manifest-").FullName;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Csv_rows_resolve_paths_against_the_manifest_folder()
    {
        var path = Write("m.csv", "path,labels,start,end,split\nclips/a.wav,dog;bark,0.5,2,train\n\"b, c.mp4\",cat,,,val\n");
        var manifest = Manifest.Load(path);
        Assert.Equal(2, manifest.Entries.Count);
        var a = manifest.Entries[0];
        Assert.Equal(Path.Combine(_folder, "clips", "a.wav"), a.Path);
        Assert.Equal(["dog", "bark"], a.Labels);
        Assert.Equal(new TimeWindow(0.5, 2), a.Window);
        Assert.Equal("train", a.Split);
        Assert.Equal(2, a.Line);
        Assert.Equal("b, c.mp4", manifest.Entries[1].RelativePath);
        Assert.Equal(TimeWindow.Whole, manifest.Entries[1].Window);
        Assert.Single(manifest.Split("val"));
        Assert.Equal(["bark", "cat", "dog"], manifest.LabelSet());
    }

    [Fact]
    public void Jsonl_lines_take_a_label_or_labels()
    {
        var path = Write("m.jsonl", "{\"path\": \"a.wav\", \"label\": \"yes\", \"split\": \"test\"}\n\n{\"path\": \"/abs/b.flac\", \"labels\": [\"x\", \"y\"], \"start\": 1.5}\n");
        var manifest = Manifest.Load(path);
        Assert.Equal("yes", manifest.Entries[0].Label);
        Assert.Equal("/abs/b.flac", manifest.Entries[1].Path);
        Assert.Equal(["x", "y"], manifest.Entries[1].Labels);
        Assert.Equal(3, manifest.Entries[1].Line);
        Assert.Equal(1.5, manifest.Entries[1].Window.Start);
    }

    [Theory]
    [InlineData("m.csv", "path,lable\na.wav,x\n", "m.csv:1: unknown column 'lable'")]
    [InlineData("m.csv", "label\nx\n", "m.csv:1: the header has no 'path' column")]
    [InlineData("m.csv", "path,label\na.wav,x,y\n", "m.csv:2: 3 fields but the header has 2")]
    [InlineData("m.csv", "path,start\na.wav,soon\n", "m.csv:2: start 'soon' is not a number")]
    [InlineData("m.csv", "path,start,end\na.wav,3,2\n", "m.csv:2: start 3 and end 2 do not make a window")]
    [InlineData("m.jsonl", "{\"path\": \"a.wav\"}\n{\"path\": 3}\n", "m.jsonl:2: no \"path\" string")]
    [InlineData("m.jsonl", "{\"path\": \"a.wav\"\n", "m.jsonl:1: not a JSON object")]
    [InlineData("m.jsonl", "{\"path\": \"a.wav\", \"labels\": \"x\"}\n", "m.jsonl:1: \"labels\" must be an array")]
    [InlineData("m.txt", "a.wav\n", "unknown manifest format '.txt'")]
    [InlineData("m.csv", "path,label\n", "lists no clips")]
    public void Bad_manifests_name_the_file_line_and_fix(string name, string text, string message)
    {
        var error = Assert.Throws<ManifestException>(() => Manifest.Load(Write(name, text)));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Written_csv_reads_back()
    {
        var path = Path.Combine(_folder, "w.csv");
        Manifest.WriteCsv(path, [("a b/c,d.mp4", "say \"hi\"", "train")]);
        var entry = Assert.Single(Manifest.Load(path).Entries);
        Assert.Equal("a b/c,d.mp4", entry.RelativePath);
        Assert.Equal("say \"hi\"", entry.Label);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
