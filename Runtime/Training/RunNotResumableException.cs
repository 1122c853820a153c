namespace AvDsl.Runtime.Training;

/// <summary><see cref="Trainer.Resume"/> found nothing it could continue, or something that does not match the plan; the message says which.</summary>
public sealed class RunNotResumableException(string message) : Exception(message);
