namespace AvDsl.Dsl.Model;

/// <summary>A spec-level value, <c>param dim = 768</c>: a literal that arguments, flow arithmetic and train settings
/// name instead of repeating it. <see cref="Value"/> is the literal as written (a whole number is an
/// <see cref="IntValue"/>); each use converts it as if the literal were written there.</summary>
public sealed record ParamModel(string Name, Value Value, SourceLocation Location);
