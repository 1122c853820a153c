using System.CommandLine;
using AvDsl.Cli.Shell;
using AvDsl.Dsl.Catalog;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl components</c>: the language's whole vocabulary from the catalog, one aligned table per kind;
/// <c>--markdown</c> prints docs/language.md's reference section and <c>--write-docs</c> puts it between the file's markers.</summary>
public sealed class ComponentsCommand : ICliCommand
{
    // A terminal row stays readable with the summary cut to its start; describe shows the rest.
    private const int SummaryWidth = 72;

    private readonly CommandOutput output;
    private readonly Lazy<Vocabulary> vocabulary;
    private readonly Option<bool> markdown = new("--markdown") { Description = "Print the reference section of docs/language.md (markdown tables) instead." };
    private readonly Option<string?> writeDocs = new("--write-docs") { Description = "Rewrite the section between <!-- components:begin --> and <!-- components:end --> in this file.", HelpName = "file" };

    public ComponentsCommand(CommandOutput output, ComponentCatalog catalog)
    {
        this.output = output;
        // Runtime's documentation is read only when this command runs, not at every start of the CLI.
        vocabulary = new(() => new Vocabulary(catalog, RuntimeDocs.Load()));
        Syntax = new Command("components", "List every component, schedule, optimizer, feature kind and data source a spec can use.") { markdown, writeDocs };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel) =>
        parsed.GetValue(writeDocs) is { } file ? WriteDocs(file) : parsed.GetValue(markdown) ? Markdown() : Run();

    public CommandResult Run()
    {
        var first = true;
        foreach (var (kind, heading) in Vocabulary.Kinds)
        {
            var entries = vocabulary.Value.OfKind(kind).ToList();
            if (entries.Count == 0) continue;
            if (!first) output.Out.WriteLine();
            first = false;
            output.Out.WriteLine($"{heading} ({entries.Count})");
            var components = kind == "component";
            var table = new TextColumns().Add("name", "C# type", components ? "inputs → output" : "arguments", "summary");
            foreach (var entry in entries)
            {
                table.Add(entry.Name, entry.Home, components ? TypeNames.Call(entry.Component!.Inputs, entry.Component.OutputType) : Arguments(entry),
                    Shorten(entry.FirstSentence));
            }
            table.WriteTo(output.Out);
        }
        output.Out.WriteLine();
        output.Out.WriteLine("`avdsl describe <name>` shows one in full: its arguments, shapes and constraints.");
        return CommandResult.Ok;
    }

    public CommandResult Markdown()
    {
        output.Out.Write(ComponentReference.Markdown(vocabulary.Value));
        return CommandResult.Ok;
    }

    public CommandResult WriteDocs(string path)
    {
        if (!File.Exists(path))
        {
            output.Error.WriteLine($"avdsl components: no such file: {path}");
            return CommandResult.UsageError;
        }
        var document = File.ReadAllText(path);
        var rewritten = MarkedSection.Replace(document, ComponentReference.Markdown(vocabulary.Value));
        if (rewritten is null)
        {
            output.Error.WriteLine($"avdsl components: {path} has no `{MarkedSection.Begin}` … `{MarkedSection.End}` lines to write between");
            return CommandResult.UsageError;
        }
        if (rewritten == document)
        {
            output.Out.WriteLine($"{path}: the component reference is up to date");
            return CommandResult.Ok;
        }
        // Written beside and renamed, so that an interrupted write never leaves the docs half-rewritten.
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, rewritten);
        File.Move(temporary, path, overwrite: true);
        output.Out.WriteLine($"{path}: the component reference rewritten");
        return CommandResult.Ok;
    }

    // A feature kind's arguments with the shape of one example it gives.
    private static string Arguments(VocabularyEntry entry) =>
        entry.ArgumentList + (entry.Function?.ShapeRule is { } rule ? $"  {rule.Trim()}" : "");

    private static string Shorten(string text)
    {
        if (text.Length <= SummaryWidth) return text;
        var cut = text.LastIndexOf(' ', SummaryWidth - 1);
        return text[..(cut > 0 ? cut : SummaryWidth - 1)].TrimEnd(',', ';', ':') + "…";
    }
}
