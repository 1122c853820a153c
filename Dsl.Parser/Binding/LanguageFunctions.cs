using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>The language's fixed vocabulary of feature kinds, optimizers, schedules and data sources.</summary>
public static class LanguageFunctions
{
    public static IReadOnlyDictionary<string, FunctionSignature> Features { get; } = Table(
        Function("fbank", "Kaldi-compatible log-mel filterbank features, [frames, mel]",
            Required("mel", ParameterKind.Int), Required("frames", ParameterKind.Int)));

    public static IReadOnlyDictionary<string, FunctionSignature> Optimizers { get; } = Table(
        Function("adamw", "AdamW; no weight decay on biases and 1-D parameters",
            Optional("betas", ParameterKind.DoubleList, new ListValue(new Value[] { new DoubleValue(0.9), new DoubleValue(0.999) }.ToEquatableArray())),
            Optional("eps", ParameterKind.Double, new DoubleValue(1e-8)),
            Optional("weight_decay", ParameterKind.Double, new DoubleValue(0.01))));

    public static IReadOnlyDictionary<string, FunctionSignature> Schedules { get; } = Table(
        Function("constant", "the same value at every step", Required("value", ParameterKind.Double)),
        Function("linear", "from → to, linearly over the run", Required("from", ParameterKind.Double), Required("to", ParameterKind.Double)),
        Function("cosine", "from → to along a half cosine over the run", Required("from", ParameterKind.Double), Required("to", ParameterKind.Double)),
        Function("warmup_cosine", "linear warm-up from 0 to peak, then cosine to floor at the last step",
            Required("peak", ParameterKind.Double), Required("warmup", ParameterKind.Long), Optional("floor", ParameterKind.Double, new DoubleValue(0.0))));

    public static IReadOnlyDictionary<string, FunctionSignature> DataSources { get; } = Table(
        Function("synthetic_spectrograms", "seeded synthetic spectrogram-like patterns (harmonic stacks with onsets), no media files"));

    private static ParameterSignature Required(string name, ParameterKind kind) => new(name, name, kind, null);

    private static ParameterSignature Optional(string name, ParameterKind kind, Value value) => new(name, name, kind, value);

    private static FunctionSignature Function(string name, string summary, params ParameterSignature[] parameters) =>
        new(name, parameters.ToEquatableArray(), summary);

    private static IReadOnlyDictionary<string, FunctionSignature> Table(params FunctionSignature[] functions) =>
        functions.ToDictionary(f => f.Name);
}
