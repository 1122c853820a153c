using System.Collections.Generic;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Diagnostics;

/// <summary>Where the parts of one binding report what they find, in the order they find it.</summary>
internal sealed class DiagnosticSink
{
    private readonly List<Diagnostic> _reported = new();

    public DiagnosticSink(SourceSet sources) => Sources = sources;

    public SourceSet Sources { get; }

    public IReadOnlyList<Diagnostic> Reported => _reported;

    public void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? help) =>
        _reported.Add(Diagnostic.Create(descriptor, Sources.FileOf(span.Start), span, message, help));

    /// <summary>A diagnostic made by the caller, such as one with notes.</summary>
    public void Add(Diagnostic diagnostic) => _reported.Add(diagnostic);
}
