using System.Reflection;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Shapes;
using AvDsl.Dsl.Text;
using AvDsl.Runtime;
using Xunit;

namespace AvDsl.Generator.Tests;

/// <summary>The [Shape] rules the Runtime's components declare, read by the binder's own parser and inference.</summary>
public class RuntimeShapeRuleTests
{
    /// <summary>A component's Forward (a module) or the static method itself (a stateless op), with its [Shape].</summary>
    private static IEnumerable<(string Name, MethodInfo Method)> Components() =>
        typeof(ComponentAttribute).Assembly.GetTypes().SelectMany(t =>
            t.GetCustomAttribute<ComponentAttribute>() is { } component
                ? new[] { (component.Name, t.GetMethod("Forward")!) }
                : t.GetMethods(BindingFlags.Public | BindingFlags.Static)
                    .Where(m => m.GetCustomAttribute<ComponentAttribute>() is not null)
                    .Select(m => (m.GetCustomAttribute<ComponentAttribute>()!.Name, m)));

    private static string Rule(string component) =>
        Components().Single(c => c.Name == component).Method.GetCustomAttribute<ShapeAttribute>()!.Rule;

    private static TensorShape Shape(params object[] dims) =>
        new(dims.Select(d => d is int i ? Dim.Of(i) : Dim.Named((string)d)).ToEquatableArray());

    private static string Apply(string component, Dictionary<string, Value> arguments, params TensorShape?[] inputs)
    {
        var rule = ShapeRuleParser.Parse(Rule(component), out var error);
        Assert.True(rule is not null, $"{component}: {error}");
        var result = ShapeInference.Apply(rule!, arguments, inputs);
        Assert.Null(result.Mismatch);
        return result.Output!.ToString();
    }

    [Fact]
    public void Every_component_rule_can_be_read()
    {
        Assert.Contains(Components(), c => c.Name == "take_cls");
        foreach (var (name, method) in Components())
        {
            if (method.GetCustomAttribute<ShapeAttribute>() is not { } shape) continue;
            Assert.True(ShapeRuleParser.Parse(shape.Rule, out var error) is not null, $"{name}: {error}");
        }
    }

    [Fact]
    public void Eat_component_rules_compute_their_output_shapes()
    {
        var none = new Dictionary<string, Value>();
        Assert.Equal("[B, 513, 768]", Apply("cls_token", new() { ["dim"] = new IntValue(768) }, Shape("B", 512, 768)));
        Assert.Equal("[B, 768]", Apply("take_cls", none, Shape("B", 103, 768)));
        Assert.Equal("[B, 102, 768]", Apply("drop_cls", none, Shape("B", 103, 768)));
        Assert.Equal("[B, 768]", Apply("mean_tokens", none, Shape("B", 512, 768)));
        Assert.Equal("[(B*16), 512, 768]", Apply("repeat_interleave", new() { ["times"] = new IntValue(16) }, Shape("B", 512, 768)));
        var grid = new ListValue(new Value[] { new IntValue(64), new IntValue(8) }.ToEquatableArray());
        Assert.Equal("[B, 512, 768]", Apply("conv_decoder_2d", new() { ["dim"] = new IntValue(768), ["grid"] = grid }, Shape("B", "K", 768), null));
    }
}
