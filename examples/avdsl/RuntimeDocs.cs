using System.Text.RegularExpressions;
using System.Xml.Linq;
using AvDsl.Runtime;

namespace AvDsl.Cli;

/// <summary>
/// The documentation comments of Runtime's vocabulary, read from <c>AvDsl.Runtime.xml</c> beside AvDsl.Runtime.dll.
/// The generator sees Runtime as a compiled reference, without its comments, so the catalog's <c>Doc</c> is filled only
/// for entries declared in source; <c>avdsl describe</c> and <c>avdsl components</c> read the rest here.
/// Text comes back as one line of plain text: cross-references by their short name, code and parameter names between
/// backticks as the CLI's messages write them, a parameter by its spec name.
/// </summary>
public sealed class RuntimeDocs
{
    private readonly Dictionary<string, XElement> members;

    private RuntimeDocs(Dictionary<string, XElement> members) => this.members = members;

    /// <summary>No documentation at all (the XML file is missing): summaries are simply absent.</summary>
    public static RuntimeDocs None { get; } = new([]);

    /// <summary>The documentation file built beside Runtime's assembly; <see cref="None"/> when it is not there.</summary>
    public static RuntimeDocs Load()
    {
        var assembly = typeof(ComponentAttribute).Assembly.Location;
        var path = Path.ChangeExtension(assembly, ".xml");
        return string.IsNullOrEmpty(assembly) || !File.Exists(path) ? None : Parse(XDocument.Load(path));
    }

    public static RuntimeDocs Parse(XDocument document) => new(document.Descendants("member")
        .Where(m => m.Attribute("name") is not null)
        .GroupBy(m => (string)m.Attribute("name")!)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal));

    /// <summary>The summary of a class (<c>T:</c>) or, for a stateless op, of its static method (<c>M:Type.Method(</c>);
    /// an op without its own summary falls back to its class's.</summary>
    /// <param name="specName">Turns a <c>paramref</c>'s C# name into the spec's (<c>dropPath</c> → <c>drop_path</c>).</param>
    public string? Summary(string clrType, string? staticMethod = null, Func<string, string>? specName = null)
    {
        var member = staticMethod is null ? Type(clrType) : Method(clrType, staticMethod) ?? Type(clrType);
        return member?.Element("summary") is { } summary ? PlainText(summary, specName) : null;
    }

    /// <summary>The <c>&lt;param&gt;</c> doc of one argument: on a static op's method, or on a class's constructor (a
    /// record documents its primary constructor's parameters on the type).</summary>
    public string? Parameter(string clrType, string? staticMethod, string clrName, Func<string, string>? specName = null)
    {
        var owners = staticMethod is null ? Constructors(clrType).Prepend(Type(clrType)) : [Method(clrType, staticMethod)];
        var param = owners.OfType<XElement>().SelectMany(o => o.Elements("param")).FirstOrDefault(p => (string?)p.Attribute("name") == clrName);
        return param is null ? null : PlainText(param, specName);
    }

    private XElement? Type(string clrType) => members.GetValueOrDefault("T:" + clrType);

    // Overloads are told apart by their parameter lists; a [Component] op is never overloaded, so the first will do.
    private XElement? Method(string clrType, string method) =>
        members.GetValueOrDefault($"M:{clrType}.{method}")
        ?? members.Where(m => m.Key.StartsWith($"M:{clrType}.{method}(", StringComparison.Ordinal)).Select(m => m.Value).FirstOrDefault();

    private IEnumerable<XElement> Constructors(string clrType) =>
        members.Where(m => m.Key.StartsWith($"M:{clrType}.#ctor", StringComparison.Ordinal)).Select(m => m.Value);

    private static string PlainText(XElement element, Func<string, string>? specName)
    {
        var text = string.Concat(element.Nodes().Select(node => node switch
        {
            XText t => t.Value,
            XElement { Name.LocalName: "see" or "seealso" } e when (string?)e.Attribute("cref") is { } cref => e.Value.Length > 0 ? e.Value : ShortName(cref),
            XElement { Name.LocalName: "see" } e when (string?)e.Attribute("langword") is { } word => word,
            XElement { Name.LocalName: "paramref" or "typeparamref" } e => $"`{SpecName((string?)e.Attribute("name") ?? e.Value, specName)}`",
            XElement { Name.LocalName: "c" } e => $"`{SpecName(e.Value, specName)}`",
            XElement { Name.LocalName: "para" } e => " " + PlainText(e, specName) + " ",
            XElement e => PlainText(e, specName),
            _ => string.Empty,
        }));
        return Regex.Replace(text, @"\s+", " ").Trim();
    }

    // A C# parameter name in code or a paramref reads as the spec writes it; other code is left as written.
    private static string SpecName(string text, Func<string, string>? specName) => specName?.Invoke(text) ?? text;

    /// <summary><c>T:AvDsl.Runtime.Nn.TransformerBlock</c> → <c>TransformerBlock</c>; a member keeps its type's name
    /// (<c>Transformer.ForwardLayers</c>).</summary>
    private static string ShortName(string cref)
    {
        var kind = cref.Length > 2 && cref[1] == ':' ? cref[0] : 'T';
        var name = cref[(cref.IndexOf(':') + 1)..];
        var parameters = name.IndexOf('(');
        if (parameters >= 0) name = name[..parameters];
        var parts = name.Split('.');
        return kind == 'T' || parts.Length < 2 ? parts[^1] : $"{parts[^2]}.{parts[^1]}";
    }
}
