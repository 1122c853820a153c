namespace AvDsl.Runtime.Training;

/// <summary>Why <see cref="ReplayBuffer.Load"/> refused a file (<see cref="ReplayBufferFileException.Problem"/>).</summary>
public enum ReplayBufferFileProblem
{
    /// <summary>There is no file at that path.</summary>
    Missing,

    /// <summary>The file is truncated or its contents contradict themselves (rows, counts, generator state).</summary>
    Damaged,

    /// <summary>A readable file that is not a replay buffer (a checkpoint, another safetensors file).</summary>
    NotAReplayBuffer,

    /// <summary>A replay buffer saved by another spec (its identity differs).</summary>
    OtherSpec,

    /// <summary>A replay buffer of another size.</summary>
    OtherCapacity,

    /// <summary>A replay buffer that stores other fields, or the same fields with other dtypes or shapes.</summary>
    OtherFields,
}
