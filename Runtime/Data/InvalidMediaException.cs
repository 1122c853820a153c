namespace AvDsl.Runtime.Data;

/// <summary>A media or feature file that cannot be used, with the reason as a sentence naming the file.</summary>
public sealed class InvalidMediaException(string path, BadInputReason reason, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string Path { get; } = path;
    public BadInputReason Reason { get; } = reason;
}
