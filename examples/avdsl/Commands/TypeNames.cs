using System.Text.RegularExpressions;
using AvDsl.Dsl.Catalog;

namespace AvDsl.Cli.Commands;

/// <summary>C# type names as the vocabulary listings print them: Runtime's own without the <c>AvDsl.Runtime.</c> prefix
/// (<c>Nn.Transformer</c>), and the types a call takes or gives by their bare name (<c>Tensor</c>, <c>MaskedTokens</c>).</summary>
public static class TypeNames
{
    private const string RuntimeNamespace = "AvDsl.Runtime.";

    /// <summary>Where a class lives: <c>AvDsl.Runtime.Nn.Transformer</c> → <c>Nn.Transformer</c>; a user's own stays whole.</summary>
    public static string Home(string clrType) =>
        clrType.StartsWith(RuntimeNamespace, StringComparison.Ordinal) ? clrType[RuntimeNamespace.Length..] : clrType;

    /// <summary>Every namespace dropped, generic arguments included: <c>IReadOnlyList&lt;Tensor&gt;</c>.</summary>
    public static string Bare(string clrType) => Regex.Replace(clrType, @"\b(?:[A-Za-z_]\w*\.)+(?=[A-Za-z_]\w*)", "");

    /// <summary>A call's inputs and result: <c>hidden: Tensor, view: MaskedTokens → Tensor</c>; <c>() → Tensor</c> without inputs.</summary>
    public static string Call(IEnumerable<InputSignature> inputs, string output) =>
        (inputs.Any() ? string.Join(", ", inputs.Select(i => $"{i.Name}: {Bare(i.Type)}")) : "()") + " → " + Bare(output);
}
