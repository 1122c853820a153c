using System.Collections.Generic;

namespace AvDsl.Dsl.Shapes;

/// <summary>A dimension in a shape rule: a number, a name (an argument of the component, or a symbol to unify),
/// an element of a list argument (<c>grid[0]</c>), or arithmetic on these.</summary>
public abstract record DimExpr;
public sealed record NumberDim(long Value) : DimExpr;
public sealed record NameDim(string Name) : DimExpr;
public sealed record IndexDim(string Name, int Index) : DimExpr;
public sealed record BinaryDim(char Operator, DimExpr Left, DimExpr Right) : DimExpr;

/// <summary>One entry of a shape pattern: a dimension, or <c>*S</c> for any number of leading dimensions.</summary>
public sealed record PatternItem(DimExpr? Dim, string? Variadic);

public sealed record ShapePattern(IReadOnlyList<PatternItem> Items);

/// <summary>A parsed <c>[Shape]</c> rule: a pattern per input (none for inputs that are not tensors; for a result input,
/// <c>view.keep_indices</c> names the output the pattern is of), and either one output pattern or a pattern per named
/// output of a result.</summary>
public sealed record ShapeRule(
    IReadOnlyList<(string Input, ShapePattern? Pattern)> Inputs,
    ShapePattern? Output,
    IReadOnlyList<(string Member, ShapePattern Pattern)> Members);
