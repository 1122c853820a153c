namespace AvDsl.Dsl.Diagnostics;

/// <summary>A stable diagnostic code with its title and the longer explanation `avdsl explain` prints.</summary>
public sealed record DiagnosticDescriptor(string Code, Severity Severity, string Title, string Explanation);
