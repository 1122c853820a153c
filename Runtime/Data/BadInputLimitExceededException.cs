namespace AvDsl.Runtime.Data;

/// <summary>Too many inputs could not be used; the run stops rather than train on a silently shrunken data set.</summary>
public sealed class BadInputLimitExceededException(string message) : Exception(message);
