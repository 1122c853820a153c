using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Tests;

/// <summary>A small hand-written catalog shaped like Runtime's components, so parser tests do not depend on Runtime.</summary>
public static class TestCatalog
{
    private const string Tensor = ComponentCatalog.TensorType;
    private const string View = "AvDsl.Runtime.Nn.MaskedView";
    private const string Layers = "AvDsl.Runtime.Nn.TransformerLayers";
    private const string Split = "AvDsl.Runtime.Nn.TokenSplit";
    private const string Noised = "AvDsl.Runtime.Objectives.NoisedPatches";
    private const string Importance = "AvDsl.Runtime.Selection.PatchImportance";
    private const string Selection = "AvDsl.Runtime.Selection.PatchSelection";

    /// <summary>The shape rules Runtime's classes declare with [Shape], so binder tests follow the same shapes.</summary>
    private static readonly Dictionary<string, string> Rules = new()
    {
        ["patch_embed_2d"] = "x: [B, T, F] -> [B, (T / patch) * (F / patch), dim]",
        ["sincos_2d"] = "-> [1, grid[0] * grid[1], dim]",
        ["transformer"] = "x: [B, N, dim] -> [B, N, dim]",
        ["random_mask"] = "tokens: [B, N, D] -> visible: [B, K, D], masked: [B, N], keep_indices: [B, K], restore_indices: [B, N]",
        ["mae_decoder"] = "visible: [B, K, inputs], view.keep_indices: [B, K] -> [B, grid[0] * grid[1], outputs]",
        ["patchify"] = "x: [B, T, F] -> [B, (T / patch) * (F / patch), patch * patch]",
        ["mse"] = "prediction: [*S], target: [*S] -> []",
        ["mean_tokens"] = "x: [B, N, D] -> [B, D]",
        ["broken_shape"] = "x: [B, -> ]",

        // Mirrors of Runtime components the paper sketches use (the same [Shape] as in Runtime/Nn).
        ["cls_token"] = "x: [B, N, dim] -> [B, N + 1, dim]",
        ["drop_cls"] = "x: [B, N, D] -> [B, N - 1, D]",
        ["tubelet_embed_3d"] = "x: [B, channels, T, H, W] -> [B, (T / tubelet[0]) * (H / tubelet[1]) * (W / tubelet[2]), dim]",
        ["sincos_3d"] = "-> [1, grid[0] * grid[1] * grid[2], dim]",

        // Sketch-only (see the block comment at the components below).
        ["concat_tokens"] = "a: [B, N, D], b: [B, M, D] -> [B, N + M, D]",
        ["split_tokens"] = "x: [B, N, D], like: [B, K, E] -> first: [B, K, D], second: [B, N - K, D]",
        ["concat_features"] = "a: [B, D], b: [B, E] -> [B, D + E]",
        ["info_nce"] = "a: [B, D], b: [B, D] -> []",
        ["patchify_3d"] = "x: [B, C, T, H, W] -> [B, (T / tubelet[0]) * (H / tubelet[1]) * (W / tubelet[2]), C * tubelet[0] * tubelet[1] * tubelet[2]]",
        ["mae_decoder_3d"] = "visible: [B, K, inputs], view -> [B, grid[0] * grid[1] * grid[2], outputs]",
        ["noise_patches"] = "x: [B, N, P], view -> noised: [B, N, P], timestep: [B], clean: [B, N, P]",
        ["timestep_embed"] = "t: [B] -> [B, dim]",
        ["diffusion_decoder"] = "visible: [B, K, inputs], noised: [B, tokens, outputs], time: [B, dim], view -> [B, tokens, outputs]",
        ["cross_attention_decoder"] = "context: [B, K, inputs], noised: [B, tokens, outputs], time: [B, dim], view -> [B, tokens, outputs]",
        ["av_matching"] = "audio: [B, N, dim], video: [B, M, dim] -> audio: [B, N], video: [B, M]",
        ["replay_correlation"] = "tokens: [B, N, D], importance: [B, N] -> [B, N]",
        ["concat_batch"] = "first: [B, *S], second: [R, *S] -> [B + R, *S]",
        ["select_patches"] = "tokens: [B, N, D], importance: [B, N], past: [B, N] -> visible: [B, K, D], masked: [B, N], kept: [B, N]",
        ["selection_decoder"] = "visible: [B, K, inputs], selection -> [B, tokens, outputs]",
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
                Constraints = new[] { new ConstraintSignature("dim % heads == 0", "dim must be a multiple of heads") }.ToEquatableArray(),
            },
            Component("mean_tokens", "AvDsl.Runtime.Nn.Tokens", new[] { Input("x", Tensor) }, Tensor) with { StaticMethod = "MeanTokens" },
            Component("random_mask", "AvDsl.Runtime.Masking.RandomMask", new[] { Input("tokens", Tensor) }, View,
                new ParameterSignature("ratio", "ratio", ParameterKind.Double, null, Schedulable: true)) with
            {
                Constraints = new[] { new ConstraintSignature("0 < ratio < 1") }.ToEquatableArray(),
            },
            Component("mae_decoder", "AvDsl.Runtime.Nn.MaeDecoder", new[] { Input("visible", Tensor), Input("view", View) }, Tensor,
                Int("inputs"), Int("dim"), Int("depth"), Int("heads"), Int("outputs"), new ParameterSignature("grid", "grid", ParameterKind.IntList, null)),
            Component("patchify", "AvDsl.Runtime.Objectives.Patchify", new[] { Input("x", Tensor) }, Tensor,
                Int("patch"), new ParameterSignature("normalize", "normalize", ParameterKind.Bool, new BoolValue(true))) with { PatchTarget = true },
            Component("mse", "AvDsl.Runtime.Objectives.Losses", new[] { Input("prediction", Tensor), Input("target", Tensor) }, Tensor) with { StaticMethod = "Mse" },
            Component("broken_shape", "User.BrokenShape", new[] { Input("x", Tensor) }, Tensor),

            // Mirrors of Runtime components (same names, arguments and defaults as Runtime/Nn).
            Component("cls_token", "AvDsl.Runtime.Nn.ClsToken", new[] { Input("x", Tensor) }, Tensor, Int("dim")),
            Component("drop_cls", "AvDsl.Runtime.Nn.Tokens", new[] { Input("x", Tensor) }, Tensor) with { StaticMethod = "DropCls" },
            Component("tubelet_embed_3d", "AvDsl.Runtime.Nn.TubeletEmbed3d", new[] { Input("x", Tensor) }, Tensor,
                IntList("tubelet"), Int("dim"), Int("channels", 3)),
            Component("sincos_3d", "AvDsl.Runtime.Nn.SinCos3d", Array.Empty<InputSignature>(), Tensor, Int("dim"), IntList("grid")),

            // ---------------------------------------------------------------------------------------------------------
            // SKETCH-ONLY: not in the Runtime yet. These are the signatures the paper sketches in Sketches/ (MAViL,
            // DiffMAViL, STELLA; METHODS.md sections 2 and 3) bind against: what a Runtime class would declare with
            // [Component] and [Shape]. Nothing here trains; the names and arguments are a proposal for the Runtime.
            // ---------------------------------------------------------------------------------------------------------
            // Token fusion over [audio; video] and back.
            Component("concat_tokens", "AvDsl.Runtime.Nn.ConcatTokens", new[] { Input("a", Tensor), Input("b", Tensor) }, Tensor),
            Component("concat_batch", "AvDsl.Runtime.Nn.Batches", new[] { Input("first", Tensor), Input("second", Tensor) }, Tensor),
            Component("split_tokens", "AvDsl.Runtime.Nn.SplitTokens", new[] { Input("x", Tensor), Input("like", Tensor) }, Split),
            Component("concat_features", "AvDsl.Runtime.Nn.ConcatFeatures", new[] { Input("a", Tensor), Input("b", Tensor) }, Tensor),
            // Contrastive: InfoNCE over the batch, audio→video and video→audio averaged when bidirectional.
            Component("info_nce", "AvDsl.Runtime.Objectives.InfoNce", new[] { Input("a", Tensor), Input("b", Tensor) }, Tensor,
                Double("temperature", 0.07), Bool("bidirectional", true)),
            // Video targets and decoder.
            Component("patchify_3d", "AvDsl.Runtime.Objectives.Patchify3d", new[] { Input("x", Tensor) }, Tensor,
                IntList("tubelet"), Bool("normalize", true)) with { PatchTarget = true },
            Component("mae_decoder_3d", "AvDsl.Runtime.Nn.MaeDecoder3d", new[] { Input("visible", Tensor), Input("view", View) }, Tensor,
                Int("inputs"), Int("dim"), Int("depth"), Int("heads"), Int("outputs"), IntList("grid")),
            // DiffMAE-style decoding: masked patches noised to x_t at a random timestep; the decoder predicts x0.
            Component("noise_patches", "AvDsl.Runtime.Objectives.NoisePatches", new[] { Input("x", Tensor), Input("view", View) }, Noised,
                Int("timesteps", 1000), new ParameterSignature("schedule", "schedule", ParameterKind.Enum, new EnumValue("cosine"), "AvDsl.Runtime.Objectives.NoiseSchedule",
                    new[] { "linear", "cosine" }.ToEquatableArray(), new[] { "Linear", "Cosine" }.ToEquatableArray())),
            Component("timestep_embed", "AvDsl.Runtime.Nn.TimestepEmbed", new[] { Input("t", Tensor) }, Tensor, Int("dim")),
            Component("diffusion_decoder", "AvDsl.Runtime.Nn.DiffusionDecoder",
                new[] { Input("visible", Tensor), Input("noised", Tensor), Input("time", Tensor), Input("view", View) }, Tensor,
                Int("inputs"), Int("dim"), Int("depth"), Int("heads"), Int("outputs"), Int("tokens")),
            Component("cross_attention_decoder", "AvDsl.Runtime.Nn.CrossAttentionDecoder",
                new[] { Input("context", Tensor), Input("noised", Tensor), Input("time", Tensor), Input("view", View) }, Tensor,
                Int("inputs"), Int("dim"), Int("depth"), Int("heads"), Int("outputs"), Int("tokens")),
            // STELLA: localized patch importance, replay-guided correlation, probabilistic selection.
            Component("av_matching", "AvDsl.Runtime.Selection.AudioVideoMatching", new[] { Input("audio", Tensor), Input("video", Tensor) }, Importance,
                Int("dim"), Int("heads"), Double("temperature", 0.4)),
            Component("replay_correlation", "AvDsl.Runtime.Selection.ReplayCorrelation", new[] { Input("tokens", Tensor), Input("importance", Tensor) }, Tensor,
                Int("size"), Int("heads")),
            Component("select_patches", "AvDsl.Runtime.Selection.SelectPatches",
                new[] { Input("tokens", Tensor), Input("importance", Tensor), Input("past", Tensor) }, Selection,
                Double("keep", 0.5), Double("encode", 0.2), Int("chunk", 1)),
            Component("selection_decoder", "AvDsl.Runtime.Nn.SelectionDecoder", new[] { Input("visible", Tensor), Input("selection", Selection) }, Tensor,
                Int("inputs"), Int("dim"), Int("depth"), Int("heads"), Int("outputs"), Int("tokens")),
        }.ToEquatableArray(),
        new[]
        {
            new ValueTypeSignature(View, new[]
            {
                new MemberSignature("visible", "Visible", Tensor),
                new MemberSignature("masked", "Masked", Tensor),
            }.ToEquatableArray()),
            new ValueTypeSignature(Layers, new[] { new MemberSignature("output", "Output", Tensor) }.ToEquatableArray()),
            // Sketch-only result types.
            new ValueTypeSignature(Split, new[] { new MemberSignature("first", "First", Tensor), new MemberSignature("second", "Second", Tensor) }.ToEquatableArray()),
            new ValueTypeSignature(Noised, new[]
            {
                new MemberSignature("noised", "Noised", Tensor),
                new MemberSignature("timestep", "Timestep", Tensor),
                new MemberSignature("clean", "Clean", Tensor),
            }.ToEquatableArray()),
            new ValueTypeSignature(Importance, new[] { new MemberSignature("audio", "Audio", Tensor), new MemberSignature("video", "Video", Tensor) }.ToEquatableArray()),
            new ValueTypeSignature(Selection, new[]
            {
                new MemberSignature("visible", "Visible", Tensor),
                new MemberSignature("masked", "Masked", Tensor),
                new MemberSignature("kept", "Kept", Tensor),
            }.ToEquatableArray()),
        }.ToEquatableArray(),
        Functions(),
        Precisions: new[] { "fp32", "bf16" }.ToEquatableArray());

    /// <summary>Mirrors of Runtime's [Schedule], [Feature], [Optimizer] and [DataSource] classes (same names, arguments and defaults).</summary>
    private static EquatableArray<FunctionSignature> Functions()
    {
        const string training = "AvDsl.Runtime.Training.";
        const string data = "AvDsl.Runtime.Data.";
        var over = new ParameterSignature("over", "over", ParameterKind.Duration, new DoubleValue(1.0));
        ParameterSignature Number(string name) => new(name, name, ParameterKind.Double, null);
        ParameterSignature Text(string name, string value) => new(name, name, ParameterKind.String, new StringValue(value));
        FunctionSignature Function(FunctionKind kind, string name, string type, params ParameterSignature[] parameters) => new(kind, name, type, parameters.ToEquatableArray());
        return new[]
        {
            Function(FunctionKind.Schedule, "constant", training + "ConstantSchedule", Number("value")),
            Function(FunctionKind.Schedule, "linear", training + "LinearSchedule", Number("from"), Number("to"), over),
            Function(FunctionKind.Schedule, "cosine", training + "CosineSchedule", Number("from"), Number("to"), over),
            Function(FunctionKind.Schedule, "exponential", training + "ExponentialSchedule", Number("from"), Number("to"), over),
            Function(FunctionKind.Schedule, "warmup_cosine", training + "WarmupCosineSchedule", Number("peak"),
                new ParameterSignature("warmup", "warmup", ParameterKind.Duration, null), Double("floor", 0.0)),
            Function(FunctionKind.Schedule, "step", training + "StepSchedule", new ParameterSignature("values", "values", ParameterKind.DoubleList, null),
                new ParameterSignature("at", "at", ParameterKind.DurationList, null)),
            Function(FunctionKind.Schedule, "piecewise", training + "PiecewiseSchedule", new ParameterSignature("at", "at", ParameterKind.DurationList, null),
                new ParameterSignature("values", "values", ParameterKind.DoubleList, null)),
            Function(FunctionKind.Feature, "fbank", data + "FbankFeature", Int("mel"), Int("frames"), Double("mean", -4.268), Double("std", 4.569))
                with { ShapeRule = "-> [frames, mel]" },
            Function(FunctionKind.Feature, "frames", data + "FramesFeature", Int("count", 8), Double("fps", 4.0), Int("size", 224))
                with { ShapeRule = "-> [3, count, size, size]" },
            Function(FunctionKind.Optimizer, "adamw", training + "OptimizerSettings",
                new ParameterSignature("betas", "Betas", ParameterKind.DoubleList, new ListValue(new Value[] { new DoubleValue(0.9), new DoubleValue(0.999) }.ToEquatableArray())),
                Double("eps", 1e-8), Double("weight_decay", 0.01), Double("layer_decay", 1.0)),
            Function(FunctionKind.DataSource, "manifest", data + "ManifestSource", Text("path", "") with { Default = null }, Text("split", "train"), Text("cache", ""), Double("max_bad", 0.01),
                new ParameterSignature("labels", "Labels", ParameterKind.StringList, new ListValue(new Value[0].ToEquatableArray()))),
            Function(FunctionKind.DataSource, "synthetic_spectrograms", data + "SyntheticSpectrogramsSource") with { Endless = true, SingleInput = data + "FbankFeature" },
        }.ToEquatableArray();
    }

    private static InputSignature Input(string name, string type) => new(name, name, type);

    private static ParameterSignature Int(string name, long? @default = null) =>
        new(name, name, ParameterKind.Int, @default is { } d ? new IntValue(d) : null);

    private static ParameterSignature IntList(string name) => new(name, name, ParameterKind.IntList, null);

    private static ParameterSignature Double(string name, double @default) => new(name, name, ParameterKind.Double, new DoubleValue(@default));

    private static ParameterSignature Bool(string name, bool @default) => new(name, name, ParameterKind.Bool, new BoolValue(@default));

    private static ComponentSignature Component(string name, string type, InputSignature[] inputs, string output, params ParameterSignature[] parameters) =>
        new(name, type, parameters.ToEquatableArray(), inputs.ToEquatableArray(), output, Rules.GetValueOrDefault(name));
}
