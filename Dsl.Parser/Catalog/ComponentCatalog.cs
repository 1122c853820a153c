using System.Linq;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Catalog;

/// <summary>The vocabulary of components. The generator projects it from Roslyn symbols of [Component] classes and
/// emits it into the compiled program, where the CLI reads the same table.</summary>
public sealed record ComponentCatalog(EquatableArray<ComponentSignature> Components, EquatableArray<ValueTypeSignature> Types)
{
    public const string TensorType = "AvDsl.Runtime.Torch.Tensor";

    public static ComponentCatalog Empty { get; } = new(EquatableArray<ComponentSignature>.Empty, EquatableArray<ValueTypeSignature>.Empty);

    public ComponentSignature? Find(string name) => Components.FirstOrDefault(c => c.Name == name);

    public ValueTypeSignature? FindType(string clrType) => Types.FirstOrDefault(t => t.ClrType == clrType);
}
