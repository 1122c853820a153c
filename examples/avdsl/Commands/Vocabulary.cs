using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Text;

namespace AvDsl.Cli.Commands;

/// <summary>The catalog's whole vocabulary in the order the listings show it (components, then schedules, optimizers,
/// feature kinds, data sources, evaluation protocols; each by name), each entry with its summary: the catalog's own for entries declared in
/// source, else Runtime's documentation file.</summary>
public sealed class Vocabulary
{
    /// <summary>The kinds in listing order, with the heading each group is printed under.</summary>
    public static IReadOnlyList<(string Kind, string Heading)> Kinds { get; } =
    [
        ("component", "components"),
        ("schedule", "schedules"),
        ("optimizer", "optimizers"),
        ("feature kind", "feature kinds"),
        ("data source", "data sources"),
        ("protocol", "evaluation protocols"),
    ];

    private static readonly IReadOnlyDictionary<FunctionKind, string> FunctionKinds = new Dictionary<FunctionKind, string>
    {
        [FunctionKind.Schedule] = "schedule",
        [FunctionKind.Optimizer] = "optimizer",
        [FunctionKind.Feature] = "feature kind",
        [FunctionKind.DataSource] = "data source",
        [FunctionKind.Protocol] = "protocol",
    };

    public Vocabulary(ComponentCatalog catalog, RuntimeDocs docs)
    {
        Catalog = catalog;
        Docs = docs;
        var components = catalog.Components.Select(c => Documented(new VocabularyEntry(
            "component", c.Name, c.ClrType, c.StaticMethod, c.Parameters, c.Constraints, c.Doc, Component: c)));
        var functions = catalog.Functions.Select(f => Documented(new VocabularyEntry(
            FunctionKinds[f.Kind], f.Name, f.ClrType, null, f.Parameters, f.Constraints, f.Doc, Function: f)));
        var order = Kinds.Select(k => k.Kind).ToList();
        Entries = components.Concat(functions)
            .OrderBy(e => order.IndexOf(e.Kind)).ThenBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
    }

    public ComponentCatalog Catalog { get; }

    public RuntimeDocs Docs { get; }

    public IReadOnlyList<VocabularyEntry> Entries { get; }

    /// <summary>Every entry of that name: a name may be a component and a schedule at once.</summary>
    public IReadOnlyList<VocabularyEntry> Find(string name) => Entries.Where(e => e.Name == name).ToList();

    public IEnumerable<VocabularyEntry> OfKind(string kind) => Entries.Where(e => e.Kind == kind);

    /// <summary>What the documentation says of one argument (its <c>&lt;param&gt;</c>), or null.</summary>
    public string? ParameterDoc(VocabularyEntry entry, ParameterSignature parameter) =>
        Docs.Parameter(entry.ClrType, entry.StaticMethod, parameter.ClrName, entry.SpecName);

    private VocabularyEntry Documented(VocabularyEntry entry) =>
        entry.Doc is not null ? entry : entry with { Doc = Docs.Summary(entry.ClrType, entry.StaticMethod, entry.SpecName) };
}
