using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Tests;

/// <summary>A small hand-written catalog shaped like Runtime's components, so parser tests do not depend on Runtime.</summary>
public static class TestCatalog
{
    private const string Tensor = ComponentCatalog.TensorType;
    private const string View = "AvDsl.Runtime.Masking.MaskedView";
    private const string Layers = "AvDsl.Runtime.Nn.TransformerLayers";

    /// <summary>The shape rules Runtime's classes declare with [Shape], so binder tests follow the same shapes.</summary>
    private static readonly Dictionary<string, string> Rules = new()
    {
        ["patch_embed_2d"] = "x: [B, T, F] -> [B, (T / patch) * (F / patch), dim]",
        ["sincos_2d"] = "-> [1, grid[0] * grid[1], dim]",
        ["transformer"] = "x: [B, N, dim] -> [B, N, dim]",
        ["random_mask"] = "tokens: [B, N, D] -> visible: [B, K, D], masked: [B, N]",
        ["mae_decoder"] = "visible: [B, K, inputs], view -> [B, grid[0] * grid[1], outputs]",
        ["patchify"] = "x: [B, T, F] -> [B, (T / patch) * (F / patch), patch * patch]",
        ["mse"] = "prediction: [*S], target: [*S] -> []",
        ["mean_tokens"] = "x: [B, N, D] -> [B, D]",
        ["broken_shape"] = "x: [B, -> ]",
    };

    public static ComponentCatalog Instance { get; } = new(
        new[]
        {
            Component("patch_embed_2d", "AvDsl.Runtime.Nn.PatchEmbed2d", new[] { Input("x", Tensor) }, Tensor,
                Int("patch"), Int("dim"), Int("channels", 1)),
            Component("sincos_2d", "AvDsl.Runtime.Nn.SinCos2d", Array.Empty<InputSignature>(), Tensor,
                Int("dim"), new ParameterSignature("grid", "grid", ParameterKind.IntList, null)),
            Component("transformer", "AvDsl.Runtime.Nn.Transformer", new[] { Input("x", Tensor) }, Tensor,
                Int("dim"), Int("depth"), Int("heads"), new ParameterSignature("mlp", "mlp", ParameterKind.Double, new DoubleValue(4.0)),
                new ParameterSignature("norm", "norm", ParameterKind.Enum, new EnumValue("pre"), "AvDsl.Runtime.Nn.Norm",
                    new[] { "pre", "post" }.ToEquatableArray(), new[] { "Pre", "Post" }.ToEquatableArray())) with
            {
                Methods = new[] { new MethodSignature("layers", "ForwardLayers", new[] { Input("x", Tensor) }.ToEquatableArray(), Layers) }.ToEquatableArray(),
            },
            Component("mean_tokens", "AvDsl.Runtime.Nn.MeanTokens", new[] { Input("x", Tensor) }, Tensor),
            Component("random_mask", "AvDsl.Runtime.Masking.RandomMask", new[] { Input("tokens", Tensor) }, View,
                new ParameterSignature("ratio", "ratio", ParameterKind.Double, null, Schedulable: true)),
            Component("mae_decoder", "AvDsl.Runtime.Nn.MaeDecoder", new[] { Input("visible", Tensor), Input("view", View) }, Tensor,
                Int("inputs"), Int("dim"), Int("depth"), Int("heads"), Int("outputs"), new ParameterSignature("grid", "grid", ParameterKind.IntList, null)),
            Component("patchify", "AvDsl.Runtime.Objectives.Patchify", new[] { Input("x", Tensor) }, Tensor,
                Int("patch"), new ParameterSignature("normalize", "normalize", ParameterKind.Bool, new BoolValue(true))),
            Component("mse", "AvDsl.Runtime.Objectives.MseLoss", new[] { Input("prediction", Tensor), Input("target", Tensor) }, Tensor),
            Component("broken_shape", "User.BrokenShape", new[] { Input("x", Tensor) }, Tensor),
        }.ToEquatableArray(),
        new[]
        {
            new ValueTypeSignature(View, new[]
            {
                new MemberSignature("visible", "Visible", Tensor),
                new MemberSignature("masked", "Masked", Tensor),
            }.ToEquatableArray()),
            new ValueTypeSignature(Layers, new[] { new MemberSignature("output", "Output", Tensor) }.ToEquatableArray()),
        }.ToEquatableArray());

    private static InputSignature Input(string name, string type) => new(name, name, type);

    private static ParameterSignature Int(string name, long? @default = null) =>
        new(name, name, ParameterKind.Int, @default is { } d ? new IntValue(d) : null);

    private static ComponentSignature Component(string name, string type, InputSignature[] inputs, string output, params ParameterSignature[] parameters) =>
        new(name, type, parameters.ToEquatableArray(), inputs.ToEquatableArray(), output, Rules.GetValueOrDefault(name));
}
