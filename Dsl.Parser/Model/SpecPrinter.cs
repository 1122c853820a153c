using System.Globalization;
using System.Linq;
using System.Text;

namespace AvDsl.Dsl.Model;

/// <summary>Prints a resolved spec as .avml with every argument written out, defaults included: the record of
/// exactly what a run trained (saved in each run directory) and text that binds back to an equal model.</summary>
public static class SpecPrinter
{
    public static string Print(Spec spec)
    {
        var text = new StringBuilder();
        text.Append("spec ").Append(spec.Name).Append(" {\n");
        var meta = spec.Metadata;
        void Meta(string key, string? value)
        {
            if (value is not null) text.Append("  ").Append(key).Append(' ').Append(new StringValue(value).ToAvml()).Append('\n');
        }
        Meta("title", meta.Title);
        Meta("cite", meta.Cite);
        Meta("source", meta.Source);
        Meta("version", meta.Version);
        text.Append('\n');
        foreach (var param in spec.Params) text.Append("  param ").Append(param.Name).Append(" = ").Append(param.Value.ToAvml()).Append('\n');
        if (spec.Params.Count > 0) text.Append('\n');
        foreach (var input in spec.Inputs)
        {
            text.Append("  input ").Append(input.Name).Append(": ").Append(input.Kind).Append(Arguments(input.Settings)).Append('\n');
        }
        text.Append('\n');
        foreach (var component in spec.Components.Where(c => !c.Inline))
        {
            text.Append("  ").Append(component.Name).Append(" = ").Append(component.Component).Append(Arguments(component.Arguments)).Append('\n');
        }
        foreach (var teacher in spec.Teachers) text.Append("  ").Append(teacher.Name).Append(" = ").Append(Teacher(teacher)).Append('\n');
        foreach (var replay in spec.Replays) text.Append("  ").Append(replay.Name).Append(" = ").Append(Replay(replay)).Append('\n');
        text.Append("\n  flow {\n");
        foreach (var value in spec.Flow)
        {
            text.Append("    ").Append(value.Name).Append(" = ").Append(Expression(value.Value, spec)).Append('\n');
        }
        text.Append("  }\n\n");
        foreach (var loss in spec.Losses)
        {
            text.Append("  loss ").Append(loss.Name).Append(" = ").Append(Expression(loss.Value, spec)).Append('\n');
        }
        var training = spec.Training;
        text.Append("\n  train {\n");
        text.Append("    optimizer: ").Append(Function(training.Optimizer)).Append('\n');
        text.Append("    lr: ").Append(Function(training.LearningRate)).Append('\n');
        string Setting(string key, string value) => training.ParamOf(key) ?? value;
        if (training.Steps is { } steps) text.Append("    steps: ").Append(Setting("steps", steps.ToString(CultureInfo.InvariantCulture))).Append('\n');
        if (training.Epochs is { } epochs) text.Append("    epochs: ").Append(Setting("epochs", epochs.ToString(CultureInfo.InvariantCulture))).Append('\n');
        text.Append("    batch: ").Append(Setting("batch", training.Batch.ToAvml())).Append('\n');
        text.Append("    seed: ").Append(Setting("seed", training.Seed.ToString(CultureInfo.InvariantCulture))).Append('\n');
        if (training.Clip is { } clip) text.Append("    clip: ").Append(Setting("clip", new DoubleValue(clip).ToAvml())).Append('\n');
        text.Append("    device: ").Append(training.Device.Contains(":") ? new StringValue(training.Device).ToAvml() : training.Device).Append('\n');
        text.Append("    precision: ").Append(training.Precision).Append('\n');
        if (training.LrScaling != "none") text.Append("    lr_scaling: ").Append(training.LrScaling).Append('\n');
        // Printed only when chosen, so that the resolved spec of a run made before the setting existed stays the same.
        if (training.NonFinite != "stop") text.Append("    non_finite: ").Append(training.NonFinite).Append('\n');
        if (training.Groups.Count > 0) text.Append("    groups: [").Append(string.Join(", ", training.Groups.Select(g => g.ToAvml()))).Append("]\n");
        if (spec.Data.HasTasks) text.Append("    carry: [").Append(string.Join(", ", training.Carry)).Append("]\n");
        text.Append("  }\n\n  data {\n");
        if (spec.Data.HasTasks)
        {
            foreach (var task in spec.Data.Tasks) text.Append("    task ").Append(task.Name).Append(" = ").Append(Function(task.Source)).Append('\n');
            text.Append("    train: ").Append(spec.Data.StagesToAvml()).Append('\n');
        }
        else
        {
            text.Append("    train: ").Append(Function(spec.Data.Train)).Append('\n');
        }
        text.Append("  }\n");
        if (spec.Eval is { } eval)
        {
            text.Append("\n  eval {\n");
            foreach (var value in eval.Values) text.Append("    ").Append(EvalStatement(eval, value.Name)).Append(Expression(value.Value, spec)).Append('\n');
            if (eval.Retrieval.Count > 0) text.Append("    retrieval: [").Append(string.Join(", ", eval.Retrieval)).Append("]\n");
            if (eval.FineTune is { } fineTune) text.Append("    finetune: ").Append(Function(fineTune)).Append('\n');
            text.Append("  }\n");
        }
        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>A pretrained teacher's spec is written as a string: a run's spec.avml stands alone, without the file
    /// that declares the stage-1 spec, and a string is checked against the run's checkpoint only.</summary>
    private static string Teacher(TeacherModel teacher) => teacher switch
    {
        EmaTeacherModel ema => $"ema(of: [{string.Join(", ", ema.Of)}], decay: {Function(ema.Decay)})",
        PretrainedTeacherModel pretrained =>
            $"pretrained(spec: {new StringValue(pretrained.Spec).ToAvml()}, run: {new StringValue(pretrained.Run).ToAvml()}, of: [{string.Join(", ", pretrained.Of)}])",
        _ => throw new System.ArgumentException($"unknown teacher {teacher}"),
    };

    public static string Replay(ReplayModel replay) =>
        $"replay_buffer(size: {replay.Size.ToString(CultureInfo.InvariantCulture)}, stores: [{string.Join(", ", replay.Stores.Select(s => s.Name))}])";

    /// <summary>How an eval value's line begins: <c>embed: </c>, <c>embed name = </c> or <c>name = </c>.</summary>
    internal static string EvalStatement(EvalModel eval, string name) =>
        name == EvalModel.DefaultName ? "embed: " : eval.Embeddings.Contains(name) ? $"embed {name} = " : $"{name} = ";

    private static string Function(FunctionModel function) => function.Kind + Arguments(function.Arguments);

    private static string Arguments(Text.EquatableArray<Argument> arguments) =>
        "(" + string.Join(", ", arguments.Select(a => a.Name + ": " + a.ToAvml())) + ")";

    /// <summary>A flow expression; without <paramref name="arguments"/>, inline components show their inputs only
    /// (the wiring), as <see cref="SpecDiff"/> lists their arguments as settings of their own.</summary>
    public static string Expression(Expr expr, Spec spec, bool arguments = true) => expr switch
    {
        InputRef input => input.Name,
        ValueRef value => value.Name,
        Constant constant => new DoubleValue(constant.Value).ToAvml(),
        MemberAccess member => Operand(member.Target, spec, arguments) + "." + member.Name,
        MaskSelect select => Operand(select.Target, spec, arguments) + "[" + Expression(select.Mask, spec, arguments) + "]",
        Negate negate => "-" + Operand(negate.Operand, spec, arguments),
        Binary binary => Operand(binary.Left, spec, arguments) + " " + binary.Operator + " " + Operand(binary.Right, spec, arguments),
        Invoke invoke => Invocation(invoke, spec, arguments),
        Sqrt sqrt => "sqrt(" + Expression(sqrt.Operand, spec, arguments) + ")",
        SettingRef setting => setting.Instance + "." + setting.Argument,
        ParamRef param => param.Name,
        ReplayDraw draw => draw.Buffer + ".sample(" + Expression(draw.Like, spec, arguments) + ")",
        ReplayRead read => Operand(read.Target, spec, arguments) + "." + read.Field,
        _ => expr.ToString(),
    };

    private static string Operand(Expr expr, Spec spec, bool arguments) =>
        expr is Binary or Negate || expr is Constant { Value: < 0 } ? "(" + Expression(expr, spec, arguments) + ")" : Expression(expr, spec, arguments);

    private static string Invocation(Invoke invoke, Spec spec, bool arguments)
    {
        var component = spec.FindComponent(invoke.Instance)!;
        var inputs = invoke.Inputs.Select(i => Expression(i, spec, arguments));
        if (!component.Inline)
        {
            var callee = (invoke.Teacher is null ? "" : invoke.Teacher + ".") + invoke.Instance + (invoke.Method is null ? "" : "." + invoke.Method);
            return callee + "(" + string.Join(", ", inputs) + ")";
        }
        var named = arguments ? component.Arguments.Select(a => a.Name + ": " + a.ToAvml()) : Enumerable.Empty<string>();
        return component.Component + "(" + string.Join(", ", inputs.Concat(named)) + ")";
    }
}
