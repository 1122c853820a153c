namespace AvDsl.Dsl.Catalog;

/// <summary>The types a spec argument can have; each maps to one C# parameter type.</summary>
public enum ParameterKind
{
    Int,
    Long,
    Double,
    Bool,
    String,
    IntList,
    DoubleList,
    Enum,
}
