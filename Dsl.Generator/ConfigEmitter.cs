using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;

namespace AvDsl.Generator;

/// <summary>Emits a spec's config record: every resolved hyperparameter, defaults included, so that a variant is
/// <c>Config.Default with { … }</c>. Inputs, the optimizer, the data source and schedules are the Runtime's own
/// records and classes; each component's arguments get a settings record.</summary>
internal static class ConfigEmitter
{
    public static void Emit(CodeWriter code, Spec spec, ComponentCatalog catalog, CSharpLiteral literal, Names names)
    {
        code.Line("/// <summary>Every resolved hyperparameter of spec " + spec.Name + ", defaults included. Override with <c>with { … }</c>.</summary>");
        code.Open($"public sealed record {spec.Name}Config");
        code.Line($"public static {spec.Name}Config Default {{ get; }} = new();");
        code.Line();
        foreach (var input in spec.Inputs)
        {
            code.Line($"public {literal.Types.Name(input.ClrType)} {Names.Property(input.Name)} {{ get; init; }} = {Function(literal, input.ClrType, input.Kind, input.Settings, FunctionKind.Feature)};");
        }
        foreach (var component in Configured(spec, catalog))
        {
            code.Line($"public {Names.Property(component.Name)}Settings {names.Component(component.Name)} {{ get; init; }} = new();");
        }
        foreach (var teacher in spec.Teachers)
        {
            code.Line($"public {Names.Property(teacher.Name)}Settings {names.Component(teacher.Name)} {{ get; init; }} = new();");
        }
        code.Line("public TrainSettings Train { get; init; } = new();");
        code.Line($"public {literal.Types.Name(spec.Data.Train.ClrType)} Data {{ get; init; }} = {literal.Function(spec.Data.Train, FunctionKind.DataSource)};");

        foreach (var component in Configured(spec, catalog))
        {
            code.Line();
            code.Line($"/// <summary>{component.Name} = {component.Component}(…)</summary>");
            var parameters = catalog.Find(component.Component)!.Parameters.ToDictionary(p => p.Name);
            code.Open($"public sealed record {Names.Property(component.Name)}Settings");
            foreach (var argument in component.Arguments)
            {
                var parameter = parameters[argument.Name];
                code.Line($"public {literal.Type(parameter, argument.Value)} {NameCase.ToPascal(argument.Name)} {{ get; init; }} = {literal.Of(argument.Value, parameter)};");
            }
            code.Close();
        }
        foreach (var teacher in spec.Teachers)
        {
            code.Line();
            code.Line($"/// <summary>{teacher.Name} = ema(of: [{string.Join(", ", teacher.Of)}], …)</summary>");
            code.Open($"public sealed record {Names.Property(teacher.Name)}Settings");
            code.Line($"public {literal.Types.Name("AvDsl.Runtime.Training.Schedule")} Decay {{ get; init; }} = {literal.Function(teacher.Decay, FunctionKind.Schedule)};");
            code.Close();
        }
        code.Line();
        EmitTrain(code, spec.Training, literal, names);
        code.Close();
    }

    /// <summary>Components with arguments to hold; one without any needs no settings record.</summary>
    public static IEnumerable<ComponentModel> Configured(Spec spec, ComponentCatalog catalog) => spec.Components.Where(c => c.Arguments.Count > 0);

    private static void EmitTrain(CodeWriter code, TrainingModel training, CSharpLiteral literal, Names names)
    {
        var schedule = literal.Types.Name("AvDsl.Runtime.Training.Schedule");
        code.Open("public sealed record TrainSettings");
        code.Line($"public long? Steps {{ get; init; }} = {(training.Steps is { } steps ? steps + "L" : "null")};");
        code.Line($"public long? Epochs {{ get; init; }} = {(training.Epochs is { } epochs ? epochs + "L" : "null")};");
        code.Line(training.Batch is ScheduleValue batchSchedule
            ? $"public {schedule} Batch {{ get; init; }} = {literal.Function(batchSchedule.Schedule, FunctionKind.Schedule)};"
            : $"public int Batch {{ get; init; }} = {((IntValue)training.Batch).Value};");
        code.Line($"public long Seed {{ get; init; }} = {training.Seed}L;");
        code.Line($"public double? Clip {{ get; init; }} = {(training.Clip is { } clip ? CSharpLiteral.Double(clip) : "null")};");
        code.Line($"public string Device {{ get; init; }} = {CSharpLiteral.String(training.Device)};");
        var precision = literal.Types.Name("AvDsl.Runtime.Training.Precision");
        code.Line($"public {precision} Precision {{ get; init; }} = {precision}.{NameCase.ToPascal(training.Precision)};");
        code.Line($"public {literal.Types.Name(training.Optimizer.ClrType)} Optimizer {{ get; init; }} = {literal.Function(training.Optimizer, FunctionKind.Optimizer)};");
        code.Line($"public {schedule} LearningRate {{ get; init; }} = {literal.Function(training.LearningRate, FunctionKind.Schedule)};");
        if (training.Groups.Count > 0)
        {
            // Components are named by their state-dict prefix: the snake_case of the model's property.
            var group = literal.Types.Name("AvDsl.Runtime.Training.ParameterGroup");
            var groups = training.Groups.Select(g =>
                $"new(new[] {{ {string.Join(", ", g.Of.Select(o => $"\"{NameCase.ToSnake(names.Component(o))}\""))} }}, LearningRateScale: {CSharpLiteral.Double(g.LrScale)}, "
                + $"WeightDecay: {(g.WeightDecay is { } wd ? CSharpLiteral.Double(wd) : "null")}, Frozen: {(g.Frozen ? "true" : "false")})");
            code.Line($"public {group}[] Groups {{ get; init; }} = new {group}[] {{ {string.Join(", ", groups)} }};");
        }
        code.Close();
    }

    private static string Function(CSharpLiteral literal, string clrType, string kind, Dsl.Text.EquatableArray<Argument> arguments, FunctionKind functionKind) =>
        literal.Function(new FunctionModel(kind, arguments, clrType), functionKind);
}
