namespace AvDsl.Runtime.Nn;

/// <summary>A state dict does not fit a module; the message lists every missing, unexpected and mis-shaped key.</summary>
public sealed class StateDictMismatchException(
    string module, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> mismatchedShapes)
    : Exception(Compose(module, missing, unexpected, mismatchedShapes))
{
    public IReadOnlyList<string> MissingKeys { get; } = missing;
    public IReadOnlyList<string> UnexpectedKeys { get; } = unexpected;

    /// <summary>"key: checkpoint Float32[3] vs model Float32[4]" per mis-shaped key.</summary>
    public IReadOnlyList<string> MismatchedShapes { get; } = mismatchedShapes;

    private static string Compose(string module, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> mismatched)
    {
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing keys: {string.Join(", ", missing)}");
        if (unexpected.Count > 0) parts.Add($"unexpected keys: {string.Join(", ", unexpected)}");
        if (mismatched.Count > 0) parts.Add($"shape mismatches: {string.Join("; ", mismatched)}");
        return $"LoadStateDict into {module}: {string.Join("; ", parts)}.";
    }
}
