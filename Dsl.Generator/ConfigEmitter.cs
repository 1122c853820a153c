using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;

namespace AvDsl.Generator;

/// <summary>One property of a spec's config: on the config itself (<see cref="Holder"/> empty) or on the nested
/// settings record a config property holds (<c>Encoder</c> → <c>EncoderSettings</c>).</summary>
internal sealed record ConfigProperty(string Holder, string Record, string Name, string Type, string Literal, string? Comment = null);

/// <summary>Emits a spec's config record: every resolved hyperparameter, defaults included, so that a variant is
/// <c>Config.Default with { … }</c>. Params come first, on the config itself; inputs, the optimizer, the data source and
/// schedules are the Runtime's own records and classes; each component with arguments of its own, each teacher and
/// <c>train</c> get a settings record. An argument or setting that follows a param is not repeated there: the code
/// reads the param.</summary>
internal static class ConfigEmitter
{
    public static void Emit(CodeWriter code, Spec spec, IReadOnlyList<ConfigProperty> properties)
    {
        code.Line("/// <summary>Every resolved hyperparameter of spec " + spec.Name + ", defaults included. Override with <c>with { … }</c>.</summary>");
        code.Open($"public sealed record {spec.Name}Config");
        code.Line($"public static {spec.Name}Config Default {{ get; }} = new();");
        code.Line();
        foreach (var property in properties.Where(p => p.Holder.Length == 0)) code.Line(Declaration(property));
        foreach (var record in properties.Where(p => p.Holder.Length > 0).GroupBy(p => p.Record))
        {
            code.Line();
            if (record.First().Comment is { } comment) code.Line($"/// <summary>{comment}</summary>");
            code.Open($"public sealed record {record.Key}");
            foreach (var property in record) code.Line(Declaration(property));
            code.Close();
        }
        code.Close();
    }

    private static string Declaration(ConfigProperty p) => $"public {p.Type} {p.Name} {{ get; init; }} = {p.Literal};";

    /// <summary>The config's properties in declaration order, each with its C# type and the spec's value.</summary>
    public static IReadOnlyList<ConfigProperty> Properties(Spec spec, ComponentCatalog catalog, CSharpLiteral literal, Names names, ParamProperties @params)
    {
        var list = new List<ConfigProperty>(@params.Properties(spec));
        foreach (var input in spec.Inputs)
        {
            list.Add(new("", "", Names.Property(input.Name), literal.Types.Name(input.ClrType),
                literal.Function(new FunctionModel(input.Kind, input.Settings, input.ClrType), FunctionKind.Feature)));
        }
        var configured = Configured(spec).ToList();
        foreach (var component in configured)
            list.Add(new("", "", names.Component(component.Name), $"{Names.Property(component.Name)}Settings", "new()"));
        foreach (var teacher in spec.Teachers)
            list.Add(new("", "", names.Component(teacher.Name), $"{Names.Property(teacher.Name)}Settings", "new()"));
        foreach (var replay in spec.Replays)
            list.Add(new("", "", names.Component(replay.Name), $"{Names.Property(replay.Name)}Settings", "new()"));
        list.Add(new("", "", "Train", "TrainSettings", "new()"));
        if (spec.Data.HasTasks)
        {
            list.Add(new("", "", "Data", "DataSettings", "new()"));
            foreach (var task in spec.Data.Tasks)
                list.Add(new("Data", "DataSettings", NameCase.ToPascal(task.Name), literal.Types.Name(task.Source.ClrType),
                    literal.Function(task.Source, FunctionKind.DataSource), "The tasks of <c>data { … }</c>, by name."));
        }
        else
        {
            list.Add(new("", "", "Data", literal.Types.Name(spec.Data.Train.ClrType), literal.Function(spec.Data.Train, FunctionKind.DataSource)));
        }

        foreach (var component in configured)
        {
            var parameters = catalog.Find(component.Component)!.Parameters.ToDictionary(p => p.Name);
            foreach (var argument in component.Arguments.Where(a => a.Param is null))
            {
                var parameter = parameters[argument.Name];
                list.Add(new(names.Component(component.Name), $"{Names.Property(component.Name)}Settings", NameCase.ToPascal(argument.Name),
                    literal.Type(parameter, argument.Value), literal.Of(argument.Value, parameter), $"{component.Name} = {component.Component}(…)"));
            }
        }
        foreach (var teacher in spec.Teachers)
        {
            var holder = names.Component(teacher.Name);
            var record = $"{Names.Property(teacher.Name)}Settings";
            var of = string.Join(", ", teacher.Of);
            if (teacher is EmaTeacherModel ema)
            {
                list.Add(new(holder, record, "Decay", literal.Types.Name("AvDsl.Runtime.Training.Schedule"),
                    literal.Function(ema.Decay, FunctionKind.Schedule), $"{teacher.Name} = ema(of: [{of}], …)"));
            }
            if (teacher is PretrainedTeacherModel pretrained)
            {
                var comment = $"{teacher.Name} = pretrained(…, of: [{of}])";
                list.Add(new(holder, record, "Spec", "string", CSharpLiteral.String(pretrained.Spec), comment));
                list.Add(new(holder, record, "Run", "string", CSharpLiteral.String(pretrained.Run), comment));
            }
        }
        foreach (var replay in spec.Replays)
            list.Add(new(names.Component(replay.Name), $"{Names.Property(replay.Name)}Settings", "Size", "int",
                replay.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{replay.Name} = replay_buffer(…)"));
        list.AddRange(Train(spec.Training, literal, names).Where(p => !Follows(spec.Training, p.Name)));
        if (spec.Data.HasTasks)
        {
            var carry = literal.Types.Name(TypeNames.StageCarry);
            string Carries(string what) => spec.Training.Carries(what) ? "true" : "false";
            list.Add(new("Train", "TrainSettings", "Carry", carry, $"new {carry}(Model: {Carries("model")}, Optimizer: {Carries("optimizer")}, Buffer: {Carries("buffer")})"));
        }
        return list;
    }

    /// <summary>The components with a settings record: those with an argument that follows no param.</summary>
    public static IEnumerable<ComponentModel> Configured(Spec spec) => spec.Components.Where(c => c.Arguments.Any(a => a.Param is null));

    private static bool Follows(TrainingModel training, string property) =>
        property is "Steps" or "Epochs" or "Batch" or "Seed" or "Clip" && training.ParamOf(property.ToLowerInvariant()) is not null;

    private static IEnumerable<ConfigProperty> Train(TrainingModel training, CSharpLiteral literal, Names names)
    {
        ConfigProperty P(string name, string type, string value) => new("Train", "TrainSettings", name, type, value);
        var schedule = literal.Types.Name("AvDsl.Runtime.Training.Schedule");
        yield return P("Steps", "long?", training.Steps is { } steps ? steps + "L" : "null");
        yield return P("Epochs", "long?", training.Epochs is { } epochs ? epochs + "L" : "null");
        yield return training.Batch is ScheduleValue batch
            ? P("Batch", schedule, literal.Function(batch.Schedule, FunctionKind.Schedule))
            : P("Batch", "int", ((IntValue)training.Batch).Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return P("Seed", "long", training.Seed + "L");
        yield return P("Clip", "double?", training.Clip is { } clip ? CSharpLiteral.Double(clip) : "null");
        yield return P("Device", "string", CSharpLiteral.String(training.Device));
        var precision = literal.Types.Name("AvDsl.Runtime.Training.Precision");
        yield return P("Precision", precision, $"{precision}.{NameCase.ToPascal(training.Precision)}");
        if (training.LrScaling != "none")
        {
            var scaling = literal.Types.Name("AvDsl.Runtime.Training.LearningRateScaling");
            yield return P("LrScaling", scaling, $"{scaling}.{NameCase.ToPascal(training.LrScaling)}");
        }
        if (training.NonFinite != "stop")
        {
            var policy = literal.Types.Name("AvDsl.Runtime.Training.NonFinitePolicy");
            yield return P("NonFinite", policy, $"{policy}.{NameCase.ToPascal(training.NonFinite)}");
        }
        yield return P("Optimizer", literal.Types.Name(training.Optimizer.ClrType), literal.Function(training.Optimizer, FunctionKind.Optimizer));
        yield return P("LearningRate", schedule, literal.Function(training.LearningRate, FunctionKind.Schedule));
        if (training.Groups.Count > 0)
        {
            // Components are named by their state-dict prefix: the snake_case of the model's property.
            var group = literal.Types.Name("AvDsl.Runtime.Training.ParameterGroup");
            var groups = training.Groups.Select(g =>
                $"new(new[] {{ {string.Join(", ", g.Of.Select(o => $"\"{SnakeCase.From(names.Component(o))}\""))} }}, LearningRateScale: {CSharpLiteral.Double(g.LrScale)}, "
                + $"WeightDecay: {(g.WeightDecay is { } wd ? CSharpLiteral.Double(wd) : "null")}, Frozen: {(g.Frozen ? "true" : "false")})");
            yield return P("Groups", $"{group}[]", $"new {group}[] {{ {string.Join(", ", groups)} }}");
        }
    }
}
