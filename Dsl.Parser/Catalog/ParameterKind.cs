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
    StringList,
    Enum,

    /// <summary>A length of training: a whole number of steps, or a fraction of the run written with a decimal point.</summary>
    Duration,
    DurationList,
}
