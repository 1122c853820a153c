using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Tests;

/// <summary>A small hand-written catalog shaped like Runtime's components, so parser tests do not depend on Runtime.</summary>
public static class TestCatalog
{
    private const string Tensor = ComponentCatalog.TensorType;
    private const string View = "AvDsl.Runtime.Masking.MaskedView";

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
                    new[] { "pre", "post" }.ToEquatableArray(), new[] { "Pre", "Post" }.ToEquatableArray())),
            Component("random_mask", "AvDsl.Runtime.Masking.RandomMask", new[] { Input("tokens", Tensor) }, View,
                new ParameterSignature("ratio", "ratio", ParameterKind.Double, null, Schedulable: true)),
            Component("mae_decoder", "AvDsl.Runtime.Nn.MaeDecoder", new[] { Input("visible", Tensor), Input("view", View) }, Tensor,
                Int("inputs"), Int("dim"), Int("depth"), Int("heads"), Int("outputs"), new ParameterSignature("grid", "grid", ParameterKind.IntList, null)),
            Component("patchify", "AvDsl.Runtime.Objectives.Patchify", new[] { Input("x", Tensor) }, Tensor,
                Int("patch"), new ParameterSignature("normalize", "normalize", ParameterKind.Bool, new BoolValue(true))),
            Component("mse", "AvDsl.Runtime.Objectives.MseLoss", new[] { Input("prediction", Tensor), Input("target", Tensor) }, Tensor),
        }.ToEquatableArray(),
        new[]
        {
            new ValueTypeSignature(View, new[]
            {
                new MemberSignature("visible", "Visible", Tensor),
                new MemberSignature("masked", "Masked", Tensor),
            }.ToEquatableArray()),
        }.ToEquatableArray());

    private static InputSignature Input(string name, string type) => new(name, name, type);

    private static ParameterSignature Int(string name, long? @default = null) =>
        new(name, name, ParameterKind.Int, @default is { } d ? new IntValue(d) : null);

    private static ComponentSignature Component(string name, string type, InputSignature[] inputs, string output, params ParameterSignature[] parameters) =>
        new(name, type, parameters.ToEquatableArray(), inputs.ToEquatableArray(), output);
}
