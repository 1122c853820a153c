using System.Globalization;

namespace AvDsl.Runtime.Training;

/// <summary>A step whose loss, a loss term or a gradient was NaN or infinite: its 1-based number, the loss and terms as
/// logged (the mean over data-parallel ranks), and the first parameter, in the model's order, whose gradient was not
/// finite (null when every gradient was finite and only the loss was not).</summary>
public sealed record NonFiniteStep(long Step, double Loss, IReadOnlyDictionary<string, double> Terms, string? Parameter)
{
    /// <summary>"loss NaN (reconstruction = NaN, gate = 0.0012); the gradient of `encoder.norm.weight` is not finite".</summary>
    public string Describe()
    {
        var terms = Terms.Count == 0 ? "" : " (" + string.Join(", ", Terms.Select(t => $"{t.Key} = {Format(t.Value)}")) + ")";
        var gradient = Parameter is null
            ? "every gradient was finite, the loss itself was not"
            : $"the first parameter whose gradient is not finite is `{Parameter}`";
        return $"loss {Format(Loss)}{terms}; {gradient}";
    }

    internal static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
