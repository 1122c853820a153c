using System.Text.RegularExpressions;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Text;

namespace AvDsl.Cli.Commands;

/// <summary>One word of the language as <c>avdsl components</c> and <c>avdsl describe</c> present it: a component, or a
/// schedule, optimizer, feature kind or data source (<see cref="Function"/>), with its documentation summary.</summary>
/// <param name="Kind">What the word is, in the listings' words: <c>component</c>, <c>schedule</c>, <c>feature kind</c>….</param>
/// <param name="StaticMethod">For a stateless op: the static method of <paramref name="ClrType"/> generated code calls.</param>
public sealed record VocabularyEntry(
    string Kind,
    string Name,
    string ClrType,
    string? StaticMethod,
    EquatableArray<ParameterSignature> Parameters,
    EquatableArray<ConstraintSignature> Constraints,
    string? Doc,
    ComponentSignature? Component = null,
    FunctionSignature? Function = null)
{
    /// <summary>Where the class (or op) lives: <c>Nn.Transformer</c>, <c>Nn.TeacherTargets.LayerAverage</c>.</summary>
    public string Home => TypeNames.Home(ClrType) + (StaticMethod is null ? "" : "." + StaticMethod);

    /// <summary>The arguments as a spec writes them: required ones bare, the others with their default
    /// (<c>from, to, over: 1.0</c>).</summary>
    public string ArgumentList => string.Join(", ", Parameters.Select(p => p.Default is null ? p.Name : $"{p.Name}: {p.Default.ToAvml()}"));

    /// <summary>The summary's first sentence, or nothing.</summary>
    public string FirstSentence
    {
        get
        {
            if (Doc is null) return "";
            // A sentence ends at a full stop followed by a capital, so that "e.g. a" and "2.0's" do not end one.
            var end = Regex.Match(Doc, @"[.!?](?=\s+[A-Z\[(`])");
            return end.Success ? Doc[..(end.Index + 1)] : Doc;
        }
    }

    /// <summary>The spec's name of a C# parameter (<c>dropPath</c> → <c>drop_path</c>), for the docs' <c>paramref</c>s.</summary>
    public string SpecName(string clrName) => Parameters.FirstOrDefault(p => p.ClrName == clrName)?.Name ?? clrName;
}
