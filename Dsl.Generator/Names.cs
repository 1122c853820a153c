using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;

namespace AvDsl.Generator;

/// <summary>The C# names generated code gives a spec's inputs, components and teachers. A component property never
/// takes the name of a member the model inherits (the catalog reads them from Runtime's SpecModel).</summary>
internal sealed class Names(ComponentCatalog catalog)
{
    private readonly HashSet<string> _reserved = new(catalog.ReservedMembers, System.StringComparer.Ordinal);

    public static string Property(string specName) => NameCase.ToPascal(specName);

    /// <summary>A component's (or teacher's) property on the model and on the config.</summary>
    public string Component(string specName)
    {
        var name = Property(specName);
        return _reserved.Contains(name) ? name + "Component" : name;
    }
}
