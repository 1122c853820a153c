using System.Text;

namespace AvDsl.Cli.Commands;

/// <summary>The vocabulary as the markdown section of docs/language.md (<c>avdsl components --markdown</c>): one table
/// per kind, each row the entry's arguments, types and first sentence of its summary, so that the reference is the
/// catalog's and cannot drift from it.</summary>
public static class ComponentReference
{
    public static string Markdown(Vocabulary vocabulary)
    {
        var text = new StringBuilder();
        text.Append("Generated from the component catalog by `./avdsl components --write-docs docs/language.md`; ")
            .Append("edit the C# classes and their doc comments, not these tables. `avdsl describe <name>` shows an entry in full: ")
            .Append("every argument, its shape rule, its constraints.\n");
        foreach (var (kind, heading) in Vocabulary.Kinds)
        {
            var entries = vocabulary.OfKind(kind).ToList();
            if (entries.Count == 0) continue;
            text.Append('\n').Append("#### ").Append(char.ToUpperInvariant(heading[0])).Append(heading[1..]).Append("\n\n");
            var components = kind == "component";
            var features = kind == "feature kind";
            Row(text, [kind, "arguments", .. components ? ["inputs → output"] : features ? ["one example"] : Array.Empty<string>(), "C#", "what it is"]);
            Row(text, [.. Enumerable.Repeat("---", components || features ? 5 : 4)]);
            foreach (var entry in entries)
            {
                string[] middle = components ? [Code(TypeNames.Call(entry.Component!.Inputs, entry.Component.OutputType))]
                    : features ? [entry.Function!.ShapeRule is { } rule ? Code(rule.Trim().TrimStart('-', '>').Trim()) : ""]
                    : [];
                Row(text, [Code(entry.Name), entry.Parameters.Count == 0 ? "" : Code(entry.ArgumentList), .. middle, Code(entry.Home), Cell(entry.FirstSentence)]);
            }
        }
        return text.ToString();
    }

    private static void Row(StringBuilder text, string[] cells) => text.Append("| ").Append(string.Join(" | ", cells)).Append(" |\n");

    private static string Code(string text) => text.Length == 0 ? "" : $"`{text.Replace("|", "\\|")}`";

    private static string Cell(string text) => text.Replace("|", "\\|");
}
