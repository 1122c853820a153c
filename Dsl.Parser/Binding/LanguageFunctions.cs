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
        Function("fbank", "Kaldi-compatible log-mel filterbank features, [frames, mel], normalised as (x - mean) / (2 * std)",
            Required("mel", ParameterKind.Int), Required("frames", ParameterKind.Int),
            Optional("mean", ParameterKind.Double, new DoubleValue(-4.268)), Optional("std", ParameterKind.Double, new DoubleValue(4.569))),
        Function("frames", "video frames sampled at `fps`, resized and centre-cropped to size x size, ImageNet-normalised, [3, count, size, size]",
            Optional("count", ParameterKind.Int, new IntValue(8)), Optional("fps", ParameterKind.Double, new DoubleValue(4.0)),
            Optional("size", ParameterKind.Int, new IntValue(224))));

    public static IReadOnlyDictionary<string, FunctionSignature> Optimizers { get; } = Table(
        Function("adamw", "AdamW; no weight decay on biases and 1-D parameters",
            Optional("betas", ParameterKind.DoubleList, new ListValue(new Value[] { new DoubleValue(0.9), new DoubleValue(0.999) }.ToEquatableArray())),
            Optional("eps", ParameterKind.Double, new DoubleValue(1e-8)),
            Optional("weight_decay", ParameterKind.Double, new DoubleValue(0.01)),
            Optional("layer_decay", ParameterKind.Double, new DoubleValue(1.0))));

    /// <summary>Durations (<c>over</c>, <c>warmup</c>, <c>at</c>) are steps when written as whole numbers and
    /// fractions of the run when written with a decimal point: <c>warmup: 500</c>, <c>over: 0.5</c>.</summary>
    public static IReadOnlyDictionary<string, FunctionSignature> Schedules { get; } = Table(
        Function("constant", "the same value at every step", Required("value", ParameterKind.Double)),
        Function("linear", "from → to in a straight line, reached at the end of `over` (default: the whole run)",
            Required("from", ParameterKind.Double), Required("to", ParameterKind.Double), Optional("over", ParameterKind.Duration, new DoubleValue(1.0))),
        Function("cosine", "from → to along a half cosine, reached at the end of `over` (default: the whole run)",
            Required("from", ParameterKind.Double), Required("to", ParameterKind.Double), Optional("over", ParameterKind.Duration, new DoubleValue(1.0))),
        Function("warmup_cosine", "linear warm-up from 0 to peak, then cosine to floor at the last step",
            Required("peak", ParameterKind.Double), Required("warmup", ParameterKind.Duration), Optional("floor", ParameterKind.Double, new DoubleValue(0.0))),
        Function("step", "values[0] until at[0], values[1] until at[1], …",
            Required("values", ParameterKind.DoubleList), Required("at", ParameterKind.DurationList)),
        Function("piecewise", "straight lines through the points (at[i], values[i])",
            Required("at", ParameterKind.DurationList), Required("values", ParameterKind.DoubleList)));

    public static IReadOnlyDictionary<string, FunctionSignature> DataSources { get; } = Table(
        Function("synthetic_spectrograms", "seeded synthetic spectrogram-like patterns (harmonic stacks with onsets), no media files"),
        Function("manifest", "media files listed in a CSV or JSONL manifest, decoded in the background with an on-disk feature cache",
            Required("path", ParameterKind.String), Optional("split", ParameterKind.String, new StringValue("train")),
            Optional("cache", ParameterKind.String, new StringValue("")),
            Optional("max_bad", ParameterKind.Double, new DoubleValue(0.01))));

    private static ParameterSignature Required(string name, ParameterKind kind) => new(name, name, kind, null);

    private static ParameterSignature Optional(string name, ParameterKind kind, Value value) => new(name, name, kind, value);

    private static FunctionSignature Function(string name, string summary, params ParameterSignature[] parameters) =>
        new(name, parameters.ToEquatableArray(), summary);

    private static IReadOnlyDictionary<string, FunctionSignature> Table(params FunctionSignature[] functions) =>
        functions.ToDictionary(f => f.Name);
}
