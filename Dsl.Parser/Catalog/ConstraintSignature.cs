namespace AvDsl.Dsl.Catalog;

/// <summary>A <c>[Constraint]</c> of a component, method or function: the rule in the constraint notation, and what
/// it means in words (null when the rule says it well enough).</summary>
public sealed record ConstraintSignature(string Rule, string? Message = null)
{
    public string Describe => Message is null ? $"`{Rule}`" : $"{Message} (`{Rule}`)";
}
