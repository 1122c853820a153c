using AvDsl.Runtime.IO;
using Xunit;

namespace AvDsl.Runtime.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("avdsl-atomic-").FullName;

    [Fact]
    public void Write_replaces_and_WriteNew_refuses_an_existing_file_leaving_it_and_no_temporary_behind()
    {
        var path = Path.Combine(_folder, "sub", "a.txt");
        AtomicFile.WriteText(path, "one");
        AtomicFile.WriteText(path, "twö");
        Assert.Equal("twö"u8.ToArray(), File.ReadAllBytes(path)); // UTF-8, no byte-order mark

        var error = Assert.Throws<IOException>(() => AtomicFile.WriteNewText(path, "three"));
        Assert.Contains(path, error.Message);
        Assert.Equal("twö", File.ReadAllText(path));

        AtomicFile.WriteNew(Path.Combine(_folder, "b.bin"), s => s.Write([1, 2, 3]), flushToDisk: true);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Combine(_folder, "b.bin")));
        Assert.Equal(["a.txt"], Directory.GetFiles(Path.Combine(_folder, "sub")).Select(Path.GetFileName));
    }

    [Fact]
    public void A_writer_may_close_the_stream_and_a_failed_write_leaves_the_old_file()
    {
        var path = Path.Combine(_folder, "lines.txt");
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream); // closes the stream when disposed, as Trainer.WriteBadInputs does
            writer.Write("kept\n");
        });
        Assert.Equal("kept\n", File.ReadAllText(path));

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half"u8);
            throw new InvalidOperationException("the writer failed");
        }));
        Assert.Equal("kept\n", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
