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

/// <summary>The semantic difference of two resolved specs — every setting after extends, overrides and defaults,
/// compared by value — in the order the first spec lists them: the rows of an ablation table.</summary>
public static class SpecDiff
{
    public static IReadOnlyList<SpecChange> Compare(Spec before, Spec after)
    {
        var a = Flatten(before);
        var b = Flatten(after);
        var changes = new List<SpecChange>();
        foreach (var (path, value) in a)
        {
            var other = b.FirstOrDefault(x => x.Path == path);
            if (other.Path is null) changes.Add(new SpecChange(path, value, null));
            else if (other.Value != value) changes.Add(new SpecChange(path, value, other.Value));
        }
        foreach (var (path, value) in b)
        {
            if (a.All(x => x.Path != path)) changes.Add(new SpecChange(path, null, value));
        }
        return changes;
    }

    private static System.Func<object, string?> InlineOwner(ComponentModel component) => owner => owner switch
    {
        FlowValue { Value: Invoke invoke } value when invoke.Instance == component.Name => value.Name,
        _ => null,
    };

    /// <summary>Every setting of a spec as (path, value text).</summary>
    public static List<(string Path, string Value)> Flatten(Spec spec)
    {
        var rows = new List<(string, string)>();
        foreach (var input in spec.Inputs)
        {
            rows.Add(($"input.{input.Name}", input.Kind));
            rows.AddRange(input.Settings.Select(s => ($"input.{input.Name}.{s.Name}", s.Value.ToAvml())));
        }
        foreach (var component in spec.Components)
        {
            // An inline component is named by the flow value it computes, as overrides and sweeps name it.
            var path = component.Inline ? spec.Flow.Concat<object>(spec.Losses).Select(InlineOwner(component)).FirstOrDefault(n => n is not null) ?? component.Name : component.Name;
            rows.Add((path, component.Component));
            rows.AddRange(component.Arguments.Select(a => ($"{path}.{a.Name}", a.Value.ToAvml())));
        }
        var training = spec.Training;
        void Function(string path, FunctionModel function)
        {
            rows.Add((path, function.Kind));
            rows.AddRange(function.Arguments.Select(a => ($"{path}.{a.Name}", a.Value.ToAvml())));
        }
        foreach (var teacher in spec.Teachers)
        {
            rows.Add(($"{teacher.Name}.of", "[" + string.Join(", ", teacher.Of) + "]"));
            Function($"{teacher.Name}.decay", teacher.Decay);
        }
        foreach (var value in spec.Flow) rows.Add(($"flow.{value.Name}", SpecPrinter.Expression(value.Value, spec, arguments: false)));
        foreach (var loss in spec.Losses) rows.Add(($"loss.{loss.Name}", SpecPrinter.Expression(loss.Value, spec, arguments: false)));
        Function("train.optimizer", training.Optimizer);
        Function("train.lr", training.LearningRate);
        if (training.Steps is { } steps) rows.Add(("train.steps", steps.ToString(CultureInfo.InvariantCulture)));
        if (training.Epochs is { } epochs) rows.Add(("train.epochs", epochs.ToString(CultureInfo.InvariantCulture)));
        rows.Add(("train.batch", training.Batch.ToAvml()));
        rows.Add(("train.seed", training.Seed.ToString(CultureInfo.InvariantCulture)));
        rows.Add(("train.clip", training.Clip is { } clip ? new DoubleValue(clip).ToAvml() : "none"));
        rows.Add(("train.device", training.Device));
        rows.Add(("train.precision", training.Precision));
        if (training.Groups.Count > 0) rows.Add(("train.groups", "[" + string.Join(", ", training.Groups.Select(g => g.ToAvml())) + "]"));
        Function("data.train", spec.Data.Train);
        if (spec.Eval is { } eval) rows.Add(("eval.embed", SpecPrinter.Expression(eval.Embed, spec, arguments: false)));
        return rows;
    }
}
