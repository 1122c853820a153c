namespace AvDsl.Runtime.Data;

/// <summary>A skipped input: the file, why, and the sentence explaining it.</summary>
public sealed record BadInput(string Path, BadInputReason Reason, string Message);
