using System.Text;

namespace AvDsl.Runtime.IO;

/// <summary>
/// Writes a file under a temporary name in the same folder and renames it into place, so a reader (or a crash)
/// never sees half a file. <see cref="Write(string, Action{Stream}, bool)"/> replaces an existing file (caches,
/// manifests, reports the runtime itself owns); <see cref="WriteNew(string, Action{Stream}, bool)"/> refuses to,
/// for what a user keeps (a run's spec, checkpoints): data on disk is not overwritten without being asked.
/// Text is UTF-8 without a byte-order mark.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/>, replacing it if it exists.</summary>
    /// <param name="flushToDisk">fsync the temporary file before the rename (checkpoints), not only the OS cache; <paramref name="write"/> must leave the stream open.</param>
    public static void Write(string path, Action<Stream> write, bool flushToDisk = false) =>
        WriteThroughTemporary(path, write, overwrite: true, flushToDisk);

    /// <summary>Writes <paramref name="path"/>; throws <see cref="IOException"/> if it exists, before writing and at the rename.</summary>
    public static void WriteNew(string path, Action<Stream> write, bool flushToDisk = false)
    {
        if (File.Exists(path))
            throw new IOException($"'{path}' already exists; refusing to overwrite it.");
        WriteThroughTemporary(path, write, overwrite: false, flushToDisk);
    }

    /// <summary><paramref name="text"/> as UTF-8, replacing <paramref name="path"/> if it exists.</summary>
    public static void WriteText(string path, string text) => Write(path, stream => stream.Write(Utf8.GetBytes(text)));

    /// <summary><paramref name="text"/> as UTF-8; throws <see cref="IOException"/> if <paramref name="path"/> exists.</summary>
    public static void WriteNewText(string path, string text) => WriteNew(path, stream => stream.Write(Utf8.GetBytes(text)));

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private static void WriteThroughTemporary(string path, Action<Stream> write, bool overwrite, bool flushToDisk)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream); // may close the stream (a StreamWriter around it does): then disposing it is a no-op
                if (flushToDisk)
                {
                    if (!stream.CanWrite)
                        throw new InvalidOperationException($"AtomicFile: writing '{path}' closed the stream, so it could not be flushed to disk; leave it open.");
                    stream.Flush(flushToDisk: true);
                }
            }
            File.Move(temporary, path, overwrite);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
