using AvDsl.Dsl.Model;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>The file and line the model records for a declaration, so that generated code can point back to the spec.</summary>
internal static class SourceLocations
{
    public static SourceLocation Location(this SourceSet sources, TextSpan span) => new(sources.FileOf(span.Start).Path, sources.Line(span));

    public static int Line(this SourceSet sources, TextSpan span) => sources.FileOf(span.Start).Position(span.Start).Line;
}
