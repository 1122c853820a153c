using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>A function of the language itself (a feature kind, optimizer, schedule or data source): unlike
/// components these are not modules, so their vocabulary lives here rather than in Runtime classes.</summary>
public sealed record FunctionSignature(string Name, EquatableArray<ParameterSignature> Parameters, string Summary);
