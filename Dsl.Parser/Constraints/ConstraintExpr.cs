using System.Collections.Generic;

namespace AvDsl.Dsl.Constraints;

/// <summary>A parsed <c>[Constraint]</c> rule: arithmetic over numbers and names, chained comparisons, <c>and</c>,
/// <c>or</c>, <c>len(list)</c>, <c>list[i]</c> and <c>every(list, condition on item)</c>.</summary>
public abstract record ConstraintExpr;
public sealed record NumberTerm(double Value) : ConstraintExpr;
public sealed record NameTerm(string Name) : ConstraintExpr;
public sealed record IndexTerm(string Name, int Index) : ConstraintExpr;
public sealed record LengthTerm(string Name) : ConstraintExpr;
public sealed record NegateTerm(ConstraintExpr Operand) : ConstraintExpr;
public sealed record ArithmeticTerm(char Operator, ConstraintExpr Left, ConstraintExpr Right) : ConstraintExpr;

/// <summary><c>0 &lt; ratio &lt; 1</c>: each adjacent pair compared.</summary>
public sealed record ComparisonTerm(IReadOnlyList<ConstraintExpr> Operands, IReadOnlyList<string> Operators) : ConstraintExpr;
public sealed record LogicTerm(bool And, ConstraintExpr Left, ConstraintExpr Right) : ConstraintExpr;

/// <summary><c>every(betas, 0 &lt;= item &lt; 1)</c>: the condition holds for each item of a list argument.</summary>
public sealed record EveryTerm(string List, ConstraintExpr Condition) : ConstraintExpr;
