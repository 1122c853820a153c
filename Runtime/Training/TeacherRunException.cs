namespace AvDsl.Runtime.Training;

/// <summary>A pretrained teacher's run cannot give it weights (no such run, an unfinished one, another spec's, other
/// shapes); the message names the path and what to do. Raised before the first step.</summary>
public sealed class TeacherRunException(string message) : Exception(message);
