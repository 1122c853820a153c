using System.Text.RegularExpressions;
using AvDsl.Dsl;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl check --shapes</c>: every input, flow value and eval value of a spec with the shape the binder inferred for it,
/// where it is declared, so that a shape mismatch (AV0020) can be followed back through the flow.</summary>
public static class FlowShapeListing
{
    public static void Write(TextWriter output, SpecFile file, Spec spec, ComponentCatalog catalog)
    {
        var point = spec.Variant is { } variant ? string.Join(", ", variant.Point.Select(p => $"{p.Path}={p.Value}")) + "; " : "";
        output.WriteLine($"{spec.Name} ({point}{spec.Path})");
        var table = new TextColumns();
        foreach (var input in spec.Inputs)
            table.Add(input.Name, "input", input.Shape.Count == 0 ? "?" : $"[B, {string.Join(", ", input.Shape)}]");
        foreach (var value in spec.Flow)
            table.Add(value.Name, Where(file, spec, value), Shape(value, catalog));
        // The eval block's values are its own; they follow, prefixed, so a name both places use reads unambiguously.
        foreach (var value in spec.Eval?.Values ?? default)
            table.Add("eval." + value.Name, Where(file, spec, value), Shape(value, catalog));
        table.WriteTo(output);
    }

    /// <summary><c>line:column</c> of the value's name; a value inherited from another file names that file too.</summary>
    private static string Where(SpecFile file, Spec spec, FlowValue value)
    {
        var location = value.Location;
        var source = file.Sources.Find(location.Path);
        // The model keeps the line; the column is where the name stands on it.
        var column = source is null || location.Line < 1 || location.Line > source.LineCount
            ? null
            : Regex.Match(source.LineText(location.Line), $@"(?<![\w.]){Regex.Escape(value.Name)}\s*=") is { Success: true } name ? name.Index + 1 : (int?)null;
        var at = column is { } c ? $"{location.Line}:{c}" : $"{location.Line}";
        return location.Path == spec.Path ? at : $"{Path.GetFileName(location.Path)}:{at}";
    }

    private static string Shape(FlowValue value, ComponentCatalog catalog) => value.Value.Type switch
    {
        _ when value.Shape is not null => value.Shape,
        ComponentCatalog.TensorType => "?",
        Expr.NumberType => "not a tensor: a number",
        var type when catalog.FindType(type) is { Members.Count: > 0 } result =>
            $"not a tensor: {TypeNames.Bare(type)} ({string.Join(", ", result.Members.Select(m => "." + m.Name))})",
        var type => $"not a tensor: {TypeNames.Bare(type)}",
    };
}
