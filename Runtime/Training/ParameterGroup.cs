namespace AvDsl.Runtime.Training;

/// <summary>
/// Optimizer settings for the parameters of some components (a spec's <c>train { groups: [group(of: […], …)] }</c>),
/// named by their state-dict prefixes: a learning-rate multiplier, a weight decay replacing the optimizer's (biases
/// and 1-D parameters still take none), or frozen — no gradient and no updates.
/// </summary>
public sealed record ParameterGroup(IReadOnlyList<string> Prefixes, double LearningRateScale = 1.0, double? WeightDecay = null, bool Frozen = false)
{
    public bool Matches(string key) =>
        Prefixes.Any(p => key.Length > p.Length ? key.StartsWith(p, StringComparison.Ordinal) && key[p.Length] == '.' : key == p);

    /// <summary>The group a parameter falls in: the last that names it, as a later group refines an earlier one.</summary>
    public static ParameterGroup? Of(IReadOnlyList<ParameterGroup>? groups, string key) => groups?.LastOrDefault(g => g.Matches(key));
}
