using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Model;

/// <summary>The one model of a spec: immutable and value-equatable. The generator, the CLI and
/// the tests all read it; nothing else interprets the language.</summary>
public sealed record Spec(
    string Name,
    string Path,
    int Line,
    SpecMetadata Metadata,
    EquatableArray<InputModel> Inputs,
    EquatableArray<ComponentModel> Components,
    EquatableArray<FlowValue> Flow,
    EquatableArray<LossTerm> Losses,
    TrainingModel Training,
    DataModel Data,
    SpecVariant? Variant = null,
    EquatableArray<TeacherModel> Teachers = default,
    EvalModel? Eval = null,
    EquatableArray<ParamModel> Params = default,
    EquatableArray<ReconstructionModel> Reconstructions = default,
    EquatableArray<ReplayModel> Replays = default)
{
    public ComponentModel? FindComponent(string name) => Components.FirstOrDefault(c => c.Name == name);

    public ParamModel? FindParam(string name) => Params.FirstOrDefault(p => p.Name == name);
}

/// <summary>The sweep point a variant spec was made from.</summary>
public sealed record SpecVariant(string Sweep, string Base, EquatableArray<SweepSetting> Point)
{
    public string DisplayName => $"{Sweep}[{string.Join(", ", Point.Select(p => $"{p.Path}={p.Value}"))}]";
}

/// <summary>One setting of a sweep point, as written: <c>view.ratio</c> = <c>0.1</c>.</summary>
public sealed record SweepSetting(string Path, string Value);

public sealed record SpecMetadata(string? Title, string? Cite, string? Source, string? Version);

/// <summary>A named argument with its resolved value (written in the spec or the parameter's default); <see cref="Param"/>
/// says which params the value follows, when it names any.</summary>
public sealed record Argument(string Name, Value Value, ParamUse? Param = null)
{
    /// <summary>The value as written: params by name, else the value.</summary>
    public string ToAvml() => Param?.ToAvml(Value) ?? Value.ToAvml();
}

/// <summary>A modality input and its features, e.g. <c>audio: fbank(mel: 128, frames: 256)</c> → [B, 256, 128].</summary>
public sealed record InputModel(string Name, string Kind, EquatableArray<Argument> Settings, EquatableArray<long> Shape, SourceLocation Location, string ClrType = "");

/// <summary>A component instance. <see cref="Inline"/> when it was created by a call inside the flow.</summary>
public sealed record ComponentModel(string Name, string Component, string ClrType, EquatableArray<Argument> Arguments, bool Inline, SourceLocation Location)
{
    public Argument? Find(string name) => Arguments.FirstOrDefault(a => a.Name == name);
}

/// <summary>A value of the flow; <see cref="Shape"/> is its tensor shape where the binder could follow it (<c>[B, 128, 64]</c>).</summary>
public sealed record FlowValue(string Name, Expr Value, SourceLocation Location, string? Shape = null);

/// <summary>A teacher: the spec's own copies of the components <see cref="Of"/>, built like the student's, without
/// gradients, called in the flow as <c>teacher.encoder(x)</c>. Its kind says where its weights come from.</summary>
public abstract record TeacherModel(string Name, EquatableArray<string> Of, SourceLocation Location);

/// <summary><c>ema(of, decay)</c>: the copies start as the student's and move towards it after every optimizer step with
/// the decay the schedule gives for that step.</summary>
public sealed record EmaTeacherModel(string Name, EquatableArray<string> Of, FunctionModel Decay, SourceLocation Location)
    : TeacherModel(Name, Of, Location);

/// <summary><c>pretrained(spec, run, of)</c>: frozen copies whose weights are read, before the first step, from the final
/// checkpoint of <see cref="Run"/>, a run of spec <see cref="Spec"/> (MAViL's stage-2 teacher). Never updated.</summary>
public sealed record PretrainedTeacherModel(string Name, EquatableArray<string> Of, string Spec, string Run, SourceLocation Location)
    : TeacherModel(Name, Of, Location);

/// <summary>
/// The <c>eval</c> block: how a whole clip becomes embeddings [B, D] for probes, fine-tuning and retrieval. <see cref="Values"/>
/// are computed in order, each once; <see cref="Embeddings"/> names those that are embeddings (the first is what probes
/// read unless told otherwise; <c>embed: …</c> is the embedding named <c>embed</c>); <see cref="Retrieval"/> names the
/// two embeddings matched against each other, or is empty.
/// </summary>
/// <param name="FineTune">The <c>finetune: finetune(…)</c> recipe; null: the protocol's defaults.</param>
public sealed record EvalModel(EquatableArray<FlowValue> Values, EquatableArray<string> Embeddings, EquatableArray<string> Retrieval, SourceLocation Location,
    FunctionModel? FineTune = null)
{
    /// <summary>The name of <c>embed: …</c>'s embedding.</summary>
    public const string DefaultName = "embed";

    public string DefaultEmbedding => Embeddings[0];

    public FlowValue Value(string name) => Values.First(v => v.Name == name);

    /// <summary>The values <paramref name="embedding"/> needs, in order, itself last.</summary>
    public IReadOnlyList<FlowValue> Closure(string embedding)
    {
        var needed = new HashSet<string>(System.StringComparer.Ordinal) { embedding };
        var result = new List<FlowValue>();
        foreach (var value in Values.Reverse())
        {
            if (!needed.Contains(value.Name)) continue;
            result.Add(value);
            foreach (var name in value.Value.DescendantsAndSelf().OfType<ValueRef>().Select(r => r.Name)) needed.Add(name);
        }
        result.Reverse();
        return result;
    }

    /// <summary>The inputs <paramref name="embedding"/> reads, in <paramref name="inputOrder"/>.</summary>
    public IReadOnlyList<string> Inputs(string embedding, IEnumerable<string> inputOrder)
    {
        var read = new HashSet<string>(Closure(embedding).SelectMany(v => v.Value.DescendantsAndSelf().OfType<InputRef>().Select(r => r.Name)), System.StringComparer.Ordinal);
        return inputOrder.Where(read.Contains).ToList();
    }
}

public sealed record LossTerm(string Name, Expr Value, SourceLocation Location);

/// <summary>
/// A loss that reconstructs an input, as the binder recognised it among the loss terms:
/// <c>loss a_recon = mse(a_pred[a_view.masked], a_target[a_view.masked])</c> where <c>a_target = patchify(audio, patch: 16)</c>
/// (any component that is a patch target, <see cref="Catalog.ComponentSignature.PatchTarget"/>), or where the target is the
/// clean patches of a value made from them, <c>noised.clean</c> with <c>noised = diffusion_noise(patchify(audio, …), …)</c>.
/// Both sides are selected with the same mask, the prediction and the mask read flow values only; a scale by a number
/// (<c>lambda * mse(…)</c>) is allowed. What <c>avdsl reconstruct</c> draws.
/// </summary>
/// <param name="Loss">The loss term's name.</param>
/// <param name="Input">The spec input the patches are cut from.</param>
/// <param name="Prediction">The predicted patches [B, N, P], as the loss reads them.</param>
/// <param name="Mask">The boolean mask [B, N] both sides are selected with.</param>
/// <param name="Target">The target as the loss reads it (<c>a_target</c>, <c>noised.clean</c>).</param>
/// <param name="Patches">The component instance that cuts the input into patches.</param>
/// <param name="Noised">The flow value made by the call the patches go through before the model sees them (diffusion noise:
/// the loss reads its <c>.clean</c>), or null when the target is the patches themselves.</param>
/// <param name="Noise">The component instance that call runs (what a sampler sets to each step's noise level), when
/// <paramref name="Noised"/> is set.</param>
public sealed record ReconstructionModel(string Loss, string Input, Expr Prediction, Expr Mask, Expr Target, string Patches, string? Noised = null,
    string? Noise = null);

/// <summary>
/// <c>memory = replay_buffer(size: 2000, stores: [audio, video, a_embed])</c>: a reservoir of past samples that outlives the step
/// (and, with <c>carry: [buffer]</c>, the stage). After each optimizer step it is offered the step's samples: the inputs and flow
/// values <see cref="Stores"/> names, detached. <c>past = memory.sample(audio)</c> draws as many stored samples as
/// <c>audio</c> has rows (fewer while it holds fewer; none before the first step), read as <c>past.audio</c>, <c>past.a_embed</c>.
/// Saved with every checkpoint.
/// </summary>
public sealed record ReplayModel(string Name, long Size, EquatableArray<ReplayStoreModel> Stores, SourceLocation Location)
{
    public ReplayStoreModel? Find(string name) => Stores.FirstOrDefault(s => s.Name == name);
}

/// <summary>What a replay buffer keeps of each sample: an input or a flow value computed on the step's own batch, and the
/// shape of one sample (without the batch dimension).</summary>
public sealed record ReplayStoreModel(string Name, bool Input, EquatableArray<long> Shape);

/// <summary>Where a declaration is written: with extends and imports, not always in the spec's own file.</summary>
public sealed record SourceLocation(string Path, int Line);

/// <summary>A schedule, optimizer, feature kind or data source with resolved arguments; <see cref="ClrType"/> is the
/// Runtime class the catalog named for it.</summary>
public sealed record FunctionModel(string Kind, EquatableArray<Argument> Arguments, string ClrType)
{
    public Value Get(string name) => Arguments.First(a => a.Name == name).Value;
}

/// <param name="Device">"cpu", "auto", "cuda" or "cuda:N"; the command line's --device wins.</param>
/// <param name="Precision">"fp32", or "bf16" for bfloat16 autocast.</param>
/// <param name="Batch">Examples per step: an <see cref="IntValue"/>, or a <see cref="ScheduleValue"/> when the batch grows
/// or shrinks during training (DiffMAViL's adaptive batch).</param>
/// <param name="Steps">Optimizer steps; null when the spec counts <paramref name="Epochs"/> instead (one of the two is set).</param>
/// <param name="Groups">Per-component optimizer settings, in order (a later group wins for a component in two).</param>
/// <param name="Params">The settings (<c>steps</c>, <c>epochs</c>, <c>batch</c>, <c>seed</c>, <c>clip</c>) that follow a param.</param>
/// <param name="LrScaling">"none", "linear" or "sqrt": how the learning rate follows a batch that moves.</param>
/// <param name="NonFinite">"stop" or "skip": what a step whose loss or gradient is NaN or infinite does.</param>
/// <param name="Carry">With a sequence of tasks: what a stage takes over from the one before (<c>model</c>, <c>optimizer</c>,
/// <c>buffer</c>); what it does not carry starts afresh (the model's initial weights, empty optimizer moments, an empty buffer).
/// <c>steps</c> and <c>epochs</c> count per stage.</param>
public sealed record TrainingModel(FunctionModel Optimizer, FunctionModel LearningRate, long? Steps, Value Batch, long Seed, double? Clip,
    string Device = "cpu", string Precision = "fp32", long? Epochs = null, EquatableArray<ParameterGroupModel> Groups = default,
    EquatableArray<SettingParam> Params = default, string LrScaling = "none", EquatableArray<string> Carry = default,
    string NonFinite = "stop")
{
    /// <summary>Everything a stage can take over from the one before, the default.</summary>
    public static readonly string[] CarryAll = { "model", "optimizer", "buffer" };

    public bool Carries(string what) => Carry.Contains(what);

    /// <summary>The param a setting follows, if any.</summary>
    public string? ParamOf(string setting) => Params.FirstOrDefault(p => p.Setting == setting)?.Param;
}

/// <summary><c>group(of: [decoder], lr_scale: 2.0, weight_decay: 0.0, frozen: false)</c>: optimizer settings for some components.</summary>
public sealed record ParameterGroupModel(EquatableArray<string> Of, double LrScale, double? WeightDecay, bool Frozen)
{
    public string ToAvml() =>
        $"group(of: [{string.Join(", ", Of)}], lr_scale: {new DoubleValue(LrScale).ToAvml()}"
        + (WeightDecay is { } wd ? $", weight_decay: {new DoubleValue(wd).ToAvml()}" : "")
        + $", frozen: {(Frozen ? "true" : "false")})";
}

/// <summary>
/// <c>data { … }</c>: where training examples come from. A spec trains on one source (<c>train: manifest(…)</c>), or on a sequence
/// of tasks (continual learning): named sources (<c>task speech = manifest(…, labels: […])</c>) and <c>train: [speech, notes]</c>, the
/// order they are trained in, one stage each; a stage that is a list trains those tasks at once (<c>train: [[speech, notes]]</c>,
/// the multitask upper bound). Every task is evaluated on its own test split after every stage.
/// </summary>
/// <param name="Train">The source of the first stage (of a one-source spec, the only one): what a step reads first.</param>
/// <param name="Tasks">The named tasks, in the order written; empty for a one-source spec.</param>
/// <param name="Stages">The order of training, each stage the tasks it trains at once; empty for a one-source spec.</param>
public sealed record DataModel(FunctionModel Train, EquatableArray<DataTaskModel> Tasks = default, EquatableArray<DataStageModel> Stages = default)
{
    public bool HasTasks => Tasks.Count > 0;

    public DataTaskModel? FindTask(string name) => Tasks.FirstOrDefault(t => t.Name == name);

    /// <summary>The stages as <c>train: […]</c> writes them.</summary>
    public string StagesToAvml() => "[" + string.Join(", ", Stages.Select(s => s.ToAvml())) + "]";
}

/// <summary><c>task speech = manifest(…)</c>: a named source of clips. Its split is where it trains; its test split is where it
/// is evaluated.</summary>
public sealed record DataTaskModel(string Name, FunctionModel Source, SourceLocation Location);

/// <summary>One stage of a sequence of tasks: the tasks it trains at once (one, in continual learning).</summary>
public sealed record DataStageModel(EquatableArray<string> Tasks)
{
    public string ToAvml() => Tasks.Count == 1 ? Tasks[0] : "[" + string.Join(", ", Tasks) + "]";
}
