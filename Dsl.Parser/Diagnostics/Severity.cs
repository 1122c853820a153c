namespace AvDsl.Dsl.Diagnostics;

public enum Severity
{
    Warning,
    Error,
}
