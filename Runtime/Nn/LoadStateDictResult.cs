namespace AvDsl.Runtime.Nn;

/// <summary>What a non-strict <see cref="Module.LoadStateDict"/> skipped (PyTorch's missing/unexpected keys).</summary>
public sealed record LoadStateDictResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);
