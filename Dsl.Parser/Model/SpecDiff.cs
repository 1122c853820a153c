using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AvDsl.Dsl.Model;

/// <summary>One difference between two resolved specs; <see cref="Before"/> or <see cref="After"/> is null when the
/// setting exists on one side only.</summary>
public sealed record SpecChange(string Path, string? Before, string? After)
{
    public override string ToString() => (Before, After) switch
    {
        (null, _) => $"+ {Path} = {After}",
        (_, null) => $"- {Path} = {Before}",
        _ => $"~ {Path}: {Before} -> {After}",
    };
}

/// <summary>One setting of a resolved spec: its path, its value, and the value as written when it follows params
/// (<c>dim</c>, <c>[rows, 8]</c>).</summary>
public sealed record SpecSetting(string Path, string Value, string? Written = null);

/// <summary>The semantic difference of two resolved specs — every setting after extends, overrides and defaults,
/// compared by value — in the order the first spec lists them: the rows of an ablation table.</summary>
public static class SpecDiff
{
    public static IReadOnlyList<SpecChange> Compare(Spec before, Spec after)
    {
        var a = Flatten(before);
        var b = Flatten(after);
        var changes = new List<SpecChange>();
        foreach (var setting in a)
        {
            var other = b.FirstOrDefault(x => x.Path == setting.Path);
            if (other is null) changes.Add(new SpecChange(setting.Path, setting.Value, null));
            else if (Differs(setting, other))
            {
                // Equal values that follow other params show the params.
                changes.Add(setting.Value == other.Value
                    ? new SpecChange(setting.Path, setting.Written ?? setting.Value, other.Written ?? other.Value)
                    : new SpecChange(setting.Path, setting.Value, other.Value));
            }
        }
        foreach (var setting in b)
        {
            if (a.All(x => x.Path != setting.Path)) changes.Add(new SpecChange(setting.Path, null, setting.Value));
        }
        return changes;
    }

    /// <summary>Two settings that follow the same params as written differ only where the params do, and the params'
    /// own rows say so: a width change is one row, not one per argument that follows it. Otherwise values compare.</summary>
    private static bool Differs(SpecSetting a, SpecSetting b) =>
        a.Written is not null && b.Written is not null ? a.Written != b.Written : a.Value != b.Value;

    private static System.Func<object, string?> InlineOwner(ComponentModel component) => owner => owner switch
    {
        FlowValue { Value: Invoke invoke } value when invoke.Instance == component.Name => value.Name,
        _ => null,
    };

    /// <summary>Every setting of a spec, params first.</summary>
    public static List<SpecSetting> Flatten(Spec spec)
    {
        var rows = new List<SpecSetting>();
        void Row(string path, string value, string? written = null) => rows.Add(new SpecSetting(path, value, written));
        foreach (var param in spec.Params) Row(param.Name, param.Value.ToAvml());
        foreach (var input in spec.Inputs)
        {
            Row($"input.{input.Name}", input.Kind);
            foreach (var s in input.Settings) Row($"input.{input.Name}.{s.Name}", s.Value.ToAvml());
        }
        foreach (var component in spec.Components)
        {
            // An inline component is named by the flow value it computes, as overrides and sweeps name it.
            var path = component.Inline ? spec.Flow.Concat<object>(spec.Losses).Select(InlineOwner(component)).FirstOrDefault(n => n is not null) ?? component.Name : component.Name;
            Row(path, component.Component);
            foreach (var a in component.Arguments) Row($"{path}.{a.Name}", a.Value.ToAvml(), a.Param is null ? null : a.ToAvml());
        }
        var training = spec.Training;
        void Function(string path, FunctionModel function)
        {
            Row(path, function.Kind);
            foreach (var a in function.Arguments) Row($"{path}.{a.Name}", a.Value.ToAvml());
        }
        void Setting(string key, string value) => Row($"train.{key}", value, training.ParamOf(key));
        foreach (var replay in spec.Replays)
        {
            Row($"{replay.Name}.size", replay.Size.ToString(CultureInfo.InvariantCulture));
            Row($"{replay.Name}.stores", "[" + string.Join(", ", replay.Stores.Select(s => s.Name)) + "]");
        }
        foreach (var teacher in spec.Teachers)
        {
            Row($"{teacher.Name}.of", "[" + string.Join(", ", teacher.Of) + "]");
            if (teacher is EmaTeacherModel ema) Function($"{teacher.Name}.decay", ema.Decay);
            if (teacher is PretrainedTeacherModel pretrained)
            {
                Row($"{teacher.Name}.spec", pretrained.Spec);
                Row($"{teacher.Name}.run", new StringValue(pretrained.Run).ToAvml());
            }
        }
        foreach (var value in spec.Flow) Row($"flow.{value.Name}", SpecPrinter.Expression(value.Value, spec, arguments: false));
        foreach (var loss in spec.Losses) Row($"loss.{loss.Name}", SpecPrinter.Expression(loss.Value, spec, arguments: false));
        Function("train.optimizer", training.Optimizer);
        Function("train.lr", training.LearningRate);
        if (training.Steps is { } steps) Setting("steps", steps.ToString(CultureInfo.InvariantCulture));
        if (training.Epochs is { } epochs) Setting("epochs", epochs.ToString(CultureInfo.InvariantCulture));
        Setting("batch", training.Batch.ToAvml());
        Setting("seed", training.Seed.ToString(CultureInfo.InvariantCulture));
        Setting("clip", training.Clip is { } clip ? new DoubleValue(clip).ToAvml() : "none");
        Row("train.device", training.Device);
        Row("train.precision", training.Precision);
        Row("train.lr_scaling", training.LrScaling);
        Row("train.non_finite", training.NonFinite);
        if (training.Groups.Count > 0) Row("train.groups", "[" + string.Join(", ", training.Groups.Select(g => g.ToAvml())) + "]");
        if (spec.Data.HasTasks)
        {
            Row("train.carry", "[" + string.Join(", ", training.Carry) + "]");
            foreach (var task in spec.Data.Tasks) Function("data." + task.Name, task.Source);
            Row("data.train", spec.Data.StagesToAvml());
        }
        else
        {
            Function("data.train", spec.Data.Train);
        }
        if (spec.Eval is { } eval)
        {
            foreach (var value in eval.Values) Row("eval." + value.Name, SpecPrinter.Expression(value.Value, spec, arguments: false));
            if (eval.Retrieval.Count > 0) Row("eval.retrieval", "[" + string.Join(", ", eval.Retrieval) + "]");
            if (eval.FineTune is { } fineTune) Function("eval.finetune", fineTune);
        }
        return rows;
    }
}
