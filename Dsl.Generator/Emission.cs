using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;

namespace AvDsl.Generator;

/// <summary>What emitting one spec needs: how it names types, literals and members, its config's properties, and its
/// model emitter.</summary>
internal sealed class Emission
{
    private readonly Spec _spec;
    private readonly ComponentCatalog _catalog;
    private readonly SourceRoot _root;

    public Emission(Spec spec, ComponentCatalog catalog, SourceRoot root)
    {
        _spec = spec;
        _catalog = catalog;
        _root = root;
        Types = TypeNames.For(spec, catalog);
        Literal = new CSharpLiteral(catalog, Types);
        Names = new Names(catalog);
        Params = new ParamProperties(spec, catalog, Literal, Names);
        Properties = ConfigEmitter.Properties(spec, catalog, Literal, Names, Params);
        Model = new ModelEmitter(spec, catalog, Literal, Names, root, Params);
    }

    public SourceRoot Root => _root;
    public TypeNames Types { get; }
    public CSharpLiteral Literal { get; }
    public Names Names { get; }
    public ParamProperties Params { get; }
    public IReadOnlyList<ConfigProperty> Properties { get; }
    public ModelEmitter Model { get; }

    /// <summary>The same spec under another name (a sweep point compared with its base).</summary>
    public Emission Renamed(string name) => new(_spec with { Name = name }, _catalog, _root);

    /// <summary>
    /// Everything of the generated classes except the values: the config's property names and types, and the model,
    /// teachers and outputs without #line directives and shape comments. Two specs with equal architectures can
    /// share classes, the values going into a config instance.
    /// </summary>
    public string Architecture()
    {
        var code = new CodeWriter();
        foreach (var p in Properties) code.Line($"{p.Holder}.{p.Record}.{p.Name}: {p.Type}");
        Model.EmitModel(code);
        foreach (var teacher in _spec.Teachers) Model.EmitTeacher(code, teacher);
        Model.EmitOutputs(code);
        var lines = code.ToString().Split('\n')
            .Where(l => !l.StartsWith("#line", System.StringComparison.Ordinal))
            .Select(l => l.IndexOf("; // [", System.StringComparison.Ordinal) is var i and >= 0 ? l.Substring(0, i + 1) : l);
        return string.Join("\n", lines);
    }
}
