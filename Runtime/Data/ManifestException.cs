namespace AvDsl.Runtime.Data;

/// <summary>A manifest that cannot be read; the message names the file and line and says what to fix.</summary>
public sealed class ManifestException(string message) : Exception(message);
