namespace AvDsl.Runtime.Training;

/// <summary>
/// A replay-buffer file that <see cref="ReplayBuffer.Load"/> cannot continue from. The message names the file, says
/// what is wrong and what to do; <see cref="Problem"/> says which case it is. The buffer that was loading is unchanged.
/// </summary>
public sealed class ReplayBufferFileException(string path, ReplayBufferFileProblem problem, string message, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The file that was refused.</summary>
    public string Path { get; } = path;

    public ReplayBufferFileProblem Problem { get; } = problem;
}
