using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;

namespace AvDsl.Generator;

/// <summary>How generated code names a CLR type: by its simple name under a <c>using</c> of its namespace, unless two
/// types of the file share a simple name (then fully qualified), or the type was not foreseen (also fully qualified).</summary>
internal sealed class TypeNames
{
    /// <summary>The Runtime types every generated spec refers to.</summary>
    private static readonly string[] Always =
    {
        ComponentCatalog.TensorType, "AvDsl.Runtime.Data.Batch", "AvDsl.Runtime.Data.IClipFeatures", "AvDsl.Runtime.Nn.Module",
        "AvDsl.Runtime.Training.SpecModel", "AvDsl.Runtime.Training.LossTerms", "AvDsl.Runtime.Training.TrainingPlan",
        "AvDsl.Runtime.Training.Schedule", "AvDsl.Runtime.Training.Duration", "AvDsl.Runtime.Training.Ema", "AvDsl.Runtime.Training.PretrainedTeacher",
        "AvDsl.Runtime.Training.ParameterGroup", "AvDsl.Runtime.Training.Precision", "AvDsl.Runtime.Training.LearningRateScaling", "AvDsl.Runtime.Training.OptimizerSettings",
        "AvDsl.Runtime.Training.NonFinitePolicy",
    };

    /// <summary>What <c>SpecModel.Reconstruct</c> returns an array of, named in specs with a reconstruction loss.</summary>
    public const string Reconstruction = "AvDsl.Runtime.Objectives.Reconstruction";

    /// <summary>What a plan of a sequence of tasks is made of.</summary>
    public const string DataTask = "AvDsl.Runtime.Training.DataTask";
    public const string TrainingStage = "AvDsl.Runtime.Training.TrainingStage";
    public const string StageCarry = "AvDsl.Runtime.Training.StageCarry";

    public const string ReplayBuffer = "AvDsl.Runtime.Training.ReplayBuffer";

    private readonly HashSet<string> _known;
    private readonly HashSet<string> _ambiguous;

    private TypeNames(IEnumerable<string> types)
    {
        _known = new HashSet<string>(types.Where(t => t.Contains(".")), System.StringComparer.Ordinal);
        _ambiguous = new HashSet<string>(_known.GroupBy(Simple).Where(g => g.Count() > 1).Select(g => g.Key), System.StringComparer.Ordinal);
    }

    public static TypeNames For(Spec spec, ComponentCatalog catalog)
    {
        var types = new List<string>(Always);
        types.AddRange(spec.Components.Select(c => c.ClrType));
        types.AddRange(spec.Components.SelectMany(c => catalog.Find(c.Component)?.Parameters ?? default).Where(p => p.EnumType is not null).Select(p => p.EnumType!));
        types.AddRange(spec.Inputs.Select(i => i.ClrType));
        types.AddRange(spec.Flow.Select(v => v.Value.Type));
        types.Add(spec.Data.Train.ClrType);
        types.AddRange(spec.Data.Tasks.Select(t => t.Source.ClrType));
        if (spec.Data.HasTasks) types.AddRange(new[] { DataTask, TrainingStage, StageCarry });
        if (spec.Replays.Count > 0) types.AddRange(new[] { ReplayBuffer, "AvDsl.Runtime.Torch.DType" });
        types.Add(spec.Training.Optimizer.ClrType);
        if (spec.Eval?.FineTune is { } fineTune) types.Add(fineTune.ClrType);
        types.AddRange(Schedules(spec).Select(s => s.ClrType));
        if (spec.Reconstructions.Count > 0) types.Add(Reconstruction);
        return new TypeNames(types);
    }

    /// <summary>The namespaces to import, in ordinal order.</summary>
    public IEnumerable<string> Usings => _known.Where(t => !_ambiguous.Contains(Simple(t))).Select(Namespace).Distinct().OrderBy(n => n, System.StringComparer.Ordinal);

    public string Name(string clrType) =>
        _known.Contains(clrType) && !_ambiguous.Contains(Simple(clrType)) ? Simple(clrType) : "global::" + clrType;

    private static string Simple(string clrType) => clrType.Substring(clrType.LastIndexOf('.') + 1);

    private static string Namespace(string clrType) => clrType.Substring(0, clrType.LastIndexOf('.'));

    private static IEnumerable<FunctionModel> Schedules(Spec spec)
    {
        var values = spec.Components.SelectMany(c => c.Arguments).Select(a => a.Value).OfType<ScheduleValue>().Select(v => v.Schedule);
        var training = new[] { spec.Training.LearningRate }.Concat(spec.Training.Batch is ScheduleValue b ? new[] { b.Schedule } : new FunctionModel[0]);
        return values.Concat(training).Concat(spec.Teachers.OfType<EmaTeacherModel>().Select(t => t.Decay));
    }
}
