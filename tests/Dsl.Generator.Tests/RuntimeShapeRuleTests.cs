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

    /// <summary>Every way a spec can call a component: a module's Forward and further Forward* methods, a stateless op.</summary>
    private static IEnumerable<(string Name, MethodInfo Method)> Calls() =>
        Components().SelectMany(c => c.Method.IsStatic
            ? new[] { c }
            : c.Method.DeclaringType!.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Where(m => m.Name.StartsWith("Forward", StringComparison.Ordinal) && m.ReturnType != typeof(void))
                .Select(m => (c.Name + (m.Name == "Forward" ? "" : "." + m.Name), m)));

    [Fact]
    public void Every_call_of_every_component_declares_its_shapes()
    {
        var missing = Calls().Where(c => c.Method.GetCustomAttribute<ShapeAttribute>() is null).Select(c => c.Name).ToList();
        Assert.True(missing.Count == 0, "no [Shape] on: " + string.Join(", ", missing));
    }

    /// <summary>A rule reads the arguments (the constructor's, or a stateless op's), the symbols of the shape rule of the
    /// method it stands on (of every Forward* for a class-level rule), the run's length and `item` inside every().</summary>
    [Fact]
    public void Every_constraint_reads_only_names_it_can_know()
    {
        var checkedRules = 0;
        foreach (var type in typeof(ComponentAttribute).Assembly.GetTypes())
        {
            var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
            var arguments = constructor?.GetParameters().Select(p => Snake(p.Name!)).ToHashSet() ?? new HashSet<string>();
            var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly);
            foreach (var rule in type.GetCustomAttributes<ConstraintAttribute>())
            {
                Check(type.Name, rule.Rule, arguments);
                checkedRules++;
            }
            foreach (var method in methods)
            {
                var own = method.IsStatic ? method.GetParameters().Select(p => Snake(p.Name!)).ToHashSet() : arguments;
                var symbols = method.GetCustomAttribute<ShapeAttribute>() is { } shape ? Symbols(shape.Rule) : new HashSet<string>();
                foreach (var rule in method.GetCustomAttributes<ConstraintAttribute>())
                {
                    Check($"{type.Name}.{method.Name}", rule.Rule, own.Concat(symbols).ToHashSet());
                    checkedRules++;
                }
            }
        }
        Assert.True(checkedRules > 40, $"only {checkedRules} rules found");

        static void Check(string owner, string text, HashSet<string> known)
        {
            var rule = AvDsl.Dsl.Constraints.ConstraintParser.Parse(text, out var error);
            Assert.True(rule is not null, $"{owner}: {error}");
            var unknown = AvDsl.Dsl.Constraints.ConstraintParser.Names(rule!).Where(n => n != "run" && !known.Contains(n)).ToList();
            Assert.True(unknown.Count == 0, $"{owner}: `{text}` reads {string.Join(", ", unknown)}, which is neither an argument nor a symbol of its shape rule");
        }
    }

    private static string Snake(string name) => System.Text.RegularExpressions.Regex.Replace(name, "([a-z0-9])([A-Z])", "$1_$2").ToLowerInvariant();

    private static HashSet<string> Symbols(string text)
    {
        var rule = ShapeRuleParser.Parse(text, out _)!;
        var names = new HashSet<string>();
        void Walk(DimExpr? dim)
        {
            switch (dim)
            {
                case NameDim n: names.Add(n.Name); break;
                case BinaryDim b: Walk(b.Left); Walk(b.Right); break;
            }
        }
        foreach (var pattern in rule.Inputs.Select(i => i.Pattern).Append(rule.Output).Concat(rule.Members.Select(m => m.Pattern)))
            foreach (var item in pattern?.Items ?? Array.Empty<PatternItem>()) Walk(item.Dim);
        return names;
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
