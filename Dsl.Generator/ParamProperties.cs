using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;

namespace AvDsl.Generator;

/// <summary>A spec's params as properties of its config (<c>public int Dim { get; init; } = 768;</c>), and how the
/// code that uses a param reads it (<c>config.Dim</c>), so that <c>Config.Default with { Dim = 192 }</c> changes every
/// use at once. A param's C# type is its uses' type (numbers of several kinds take the widest, and the narrower uses
/// cast); a param nothing uses has no property.</summary>
internal sealed class ParamProperties
{
    private static readonly string[] Widening = { "int", "long", "double" };

    private readonly Dictionary<string, (string Name, string Type, string Literal)> _properties = new(System.StringComparer.Ordinal);

    public ParamProperties(Spec spec, ComponentCatalog catalog, CSharpLiteral literal, Names names)
    {
        var uses = new Dictionary<string, List<(string Type, string Literal)>>(System.StringComparer.Ordinal);
        void Use(string param, string type, string value)
        {
            if (!uses.TryGetValue(param, out var list)) uses[param] = list = new List<(string, string)>();
            list.Add((type, value));
        }
        foreach (var component in spec.Components)
        {
            foreach (var argument in component.Arguments.Where(a => a.Param is not null))
            {
                var parameter = catalog.Find(component.Component)!.FindParameter(argument.Name)!;
                if (argument.Param!.Whole is { } whole)
                {
                    Use(whole, literal.Type(parameter, argument.Value), literal.Of(argument.Value, parameter));
                    continue;
                }
                var element = Element(parameter);
                var items = ((ListValue)argument.Value).Items;
                for (var i = 0; i < items.Count; i++)
                {
                    if (argument.Param.Item(i) is { } item) Use(item, literal.Type(element), literal.Of(items[i], element));
                }
            }
        }
        foreach (var setting in spec.Training.Params)
        {
            var type = TrainType(setting.Setting);
            var value = spec.FindParam(setting.Param)!.Value;
            Use(setting.Param, type, type == "double" ? CSharpLiteral.Double(Number(value)) : Number(value).ToString(CultureInfo.InvariantCulture) + (type == "long" ? "L" : ""));
        }
        // Arithmetic takes any number: a param the flow alone reads has the type its literal has.
        var flow = FlowUses(spec);
        foreach (var param in spec.Params.Where(p => flow.Contains(p.Name) && !uses.ContainsKey(p.Name)))
        {
            if (param.Value is IntValue { Value: >= int.MinValue and <= int.MaxValue } whole) Use(param.Name, "int", whole.Value.ToString(CultureInfo.InvariantCulture));
            else Use(param.Name, "double", CSharpLiteral.Double(Number(param.Value)));
        }

        var taken = new HashSet<string>(System.StringComparer.Ordinal) { "Default", "Train", "Data", "EqualityContract", "Equals", "GetHashCode", "ToString", "GetType", "Deconstruct" };
        foreach (var input in spec.Inputs) taken.Add(Names.Property(input.Name));
        foreach (var component in spec.Components) taken.UnionWith(new[] { names.Component(component.Name), Names.Property(component.Name) + "Settings" });
        foreach (var teacher in spec.Teachers) taken.UnionWith(new[] { names.Component(teacher.Name), Names.Property(teacher.Name) + "Settings" });
        taken.Add("TrainSettings");
        foreach (var param in spec.Params)
        {
            if (!uses.TryGetValue(param.Name, out var list)) continue;
            var name = NameCase.ToPascal(param.Name);
            if (!taken.Add(name)) taken.Add(name += "Param");
            var types = list.Select(u => u.Type).Distinct().ToList();
            var type = types.Count == 1 ? types[0] : Widening.Last(types.Contains);
            var value = types.Count == 1 ? list[0].Literal : CSharpLiteral.Double(Number(param.Value));
            if (type == "long" && types.Count > 1) value = Number(param.Value).ToString(CultureInfo.InvariantCulture) + "L";
            _properties[param.Name] = (name, type, value);
        }
    }

    /// <summary>The config's params, in declaration order, as properties of the config itself.</summary>
    public IEnumerable<ConfigProperty> Properties(Spec spec) =>
        spec.Params.Where(p => _properties.ContainsKey(p.Name)).Select(p => _properties[p.Name]).Select(p => new ConfigProperty("", "", p.Name, p.Type, p.Literal));

    /// <summary><c>config.Dim</c>, cast where the use takes a narrower number than the param holds.</summary>
    public string Read(string param, string type, string config)
    {
        var (name, held, _) = _properties[param];
        return held == type || System.Array.IndexOf(Widening, held) < System.Array.IndexOf(Widening, type) ? $"{config}.{name}" : $"({type}){config}.{name}";
    }

    /// <summary>How generated code reads an argument that follows params (<c>config.Dim</c>, <c>new int[] { config.Rows, 8 }</c>);
    /// null for an argument written as a value, which its settings record holds.</summary>
    public string? Argument(Argument argument, ParameterSignature parameter, CSharpLiteral literal, string config)
    {
        if (argument.Param is not { } use) return null;
        if (use.Whole is { } whole) return Read(whole, literal.Type(parameter, argument.Value), config);
        var element = Element(parameter);
        var type = literal.Type(element);
        var items = ((ListValue)argument.Value).Items.Select((item, i) => use.Item(i) is { } param ? Read(param, type, config) : literal.Of(item, element));
        return $"new {type}[] {{ {string.Join(", ", items)} }}";
    }

    /// <summary>How the plan reads a one-number train setting that follows a param; null when it is written as a value.</summary>
    public string? Train(TrainingModel training, string setting, string config) =>
        training.ParamOf(setting) is { } param ? Read(param, TrainType(setting), config) : null;

    private static string TrainType(string setting) => setting switch { "batch" => "int", "clip" => "double", _ => "long" };

    private static ParameterSignature Element(ParameterSignature list) => list with
    {
        Kind = list.Kind switch { ParameterKind.IntList => ParameterKind.Int, ParameterKind.DoubleList => ParameterKind.Double, _ => ParameterKind.Duration },
    };

    private static double Number(Value value) => value is IntValue i ? i.Value : ((DoubleValue)value).Value;

    private static HashSet<string> FlowUses(Spec spec)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        void Walk(Expr expr)
        {
            switch (expr)
            {
                case ParamRef p: names.Add(p.Name); break;
                case Binary b: Walk(b.Left); Walk(b.Right); break;
                case Negate n: Walk(n.Operand); break;
                case Sqrt s: Walk(s.Operand); break;
                case MemberAccess m: Walk(m.Target); break;
                case MaskSelect m: Walk(m.Target); Walk(m.Mask); break;
                case Invoke i: foreach (var input in i.Inputs) Walk(input); break;
            }
        }
        foreach (var value in spec.Flow) Walk(value.Value);
        foreach (var loss in spec.Losses) Walk(loss.Value);
        if (spec.Eval is { } eval) foreach (var value in eval.Values) Walk(value.Value);
        return names;
    }
}
