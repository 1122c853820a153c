using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>The scalar to minimise and its named parts (each logged per step).</summary>
public sealed record LossTerms(Tensor Total, IReadOnlyList<KeyValuePair<string, Tensor>> Terms);
