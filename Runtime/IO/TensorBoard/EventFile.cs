namespace AvDsl.Runtime.IO.TensorBoard;

/// <summary>
/// A TensorBoard event file, <c>events.out.tfevents.&lt;unix seconds&gt;.&lt;host&gt;.&lt;pid&gt;</c>: TFRecord-framed
/// <c>tensorboard.Event</c> messages (compat/proto/event.proto: wall_time = 1, step = 2, file_version = 3, summary = 5,
/// session_log = 7), the first one naming the file version. Wall times are Unix seconds, as TensorBoard reads them.
/// </summary>
public sealed class EventFile : IDisposable
{
    /// <summary>Version 2 tells TensorBoard to purge on <see cref="SessionStart"/> rather than on out-of-order steps.</summary>
    public const string FileVersion = "brain.Event:2";

    public const string NamePrefix = "events.out.tfevents.";

    private readonly TfRecordWriter _records;

    private EventFile(string path, FileStream stream)
    {
        Path = path;
        _records = new TfRecordWriter(stream);
        Write(0, e => e.String(3, FileVersion));
        Flush();
    }

    public string Path { get; }

    /// <summary>
    /// Starts a new event file in <paramref name="directory"/>. Never overwrites one: a second file in the same second and
    /// process gets a suffix (<c>.1</c>, <c>.2</c>), which sorts after the first, as TensorBoard reads files in name order.
    /// </summary>
    public static EventFile Create(string directory)
    {
        var name = $"{NamePrefix}{(long)Math.Floor(UnixSeconds())}.{Environment.MachineName}.{Environment.ProcessId}";
        for (var attempt = 0; ; attempt++)
        {
            var path = System.IO.Path.Combine(directory, attempt == 0 ? name : $"{name}.{attempt}");
            try
            {
                return new EventFile(path, new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read));
            }
            catch (IOException) when (File.Exists(path) && attempt < 1000)
            {
            }
        }
    }

    /// <summary>
    /// A SessionLog START (status = 1) at <paramref name="step"/>. TensorBoard takes the first one in a run as its start and
    /// each later one as a restart: it drops the events it read before with a step at or after this one.
    /// </summary>
    public void SessionStart(long step) => Write(step, e => e.Message(7, new ProtobufWriter().Varint(1, 1)));

    /// <summary>A summary of <paramref name="values"/> at <paramref name="step"/>.</summary>
    public void Summary(long step, IEnumerable<SummaryValue> values)
    {
        var summary = new ProtobufWriter();
        foreach (var value in values)
            summary.Message(1, value.Encoded);
        Write(step, e => e.Message(5, summary));
    }

    /// <summary>Pushes the written events to the file, so that a kill loses at most those written after.</summary>
    public void Flush() => _records.Flush();

    /// <summary>Now, in seconds since 1970-01-01 UTC (not .NET ticks).</summary>
    public static double UnixSeconds() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;

    private void Write(long step, Action<ProtobufWriter> what)
    {
        var e = new ProtobufWriter().Double(1, UnixSeconds()).Varint(2, step);
        what(e);
        _records.Write(e.ToArray());
    }

    public void Dispose() => _records.Dispose();
}
