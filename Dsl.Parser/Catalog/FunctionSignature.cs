using System.Linq;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Catalog;

/// <summary>A schedule, feature kind, optimizer or data source: a Runtime class whose constructor parameters are the
/// spec's arguments, read from its attribute like a component.</summary>
/// <param name="ShapeRule">For a feature kind: the shape of one example (<c>"-> [frames, mel]"</c>).</param>
/// <param name="Endless">For a data source that never runs out: runs are counted in steps, not epochs.</param>
/// <param name="SingleInput">For a data source that fills exactly one input: the CLR type of that input's feature kind.</param>
/// <param name="Range">For a schedule: the arguments (or numbers) whose values bound every value it takes.</param>
public sealed record FunctionSignature(
    FunctionKind Kind,
    string Name,
    string ClrType,
    EquatableArray<ParameterSignature> Parameters,
    string? ShapeRule = null,
    bool Endless = false,
    string? SingleInput = null,
    EquatableArray<ConstraintSignature> Constraints = default,
    EquatableArray<string> Range = default,
    string? Doc = null)
{
    public ParameterSignature? FindParameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);
}
