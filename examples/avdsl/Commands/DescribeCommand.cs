using System.CommandLine;
using AvDsl.Cli.Shell;
using AvDsl.Dsl.Binding;
using AvDsl.Dsl.Catalog;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl describe transformer</c>: one word of the vocabulary in full, from the catalog and Runtime's doc
/// comments: what it is, every argument (type, default, whether it may move during training), how it is called with its
/// shape rules and the members its results offer, and the constraints the binder checks.</summary>
public sealed class DescribeCommand : ICliCommand
{
    private readonly CommandOutput output;
    private readonly Lazy<Vocabulary> vocabulary;
    private readonly Argument<string> name = new("name") { Description = "A component, schedule, optimizer, feature kind or data source, as a spec writes it." };

    public DescribeCommand(CommandOutput output, ComponentCatalog catalog)
    {
        this.output = output;
        // Runtime's documentation is read only when this command runs, not at every start of the CLI.
        vocabulary = new(() => new Vocabulary(catalog, RuntimeDocs.Load()));
        Syntax = new Command("describe", "Describe a component (or schedule, optimizer, feature kind, data source): arguments, shapes, constraints.") { name };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel) => Run(parsed.GetValue(name) ?? string.Empty);

    public CommandResult Run(string requested)
    {
        var entries = vocabulary.Value.Find(requested);
        if (entries.Count == 0)
        {
            var help = NearMiss.Help(requested, vocabulary.Value.Entries.Select(e => e.Name), "`avdsl components` lists them all");
            output.Error.WriteLine($"avdsl describe: no component, schedule, optimizer, feature kind or data source is named `{requested}`; {help}");
            return CommandResult.UsageError;
        }
        for (var i = 0; i < entries.Count; i++)
        {
            if (i > 0) output.Out.WriteLine();
            Describe(entries[i]);
        }
        return CommandResult.Ok;
    }

    private void Describe(VocabularyEntry entry)
    {
        var writer = output.Out;
        writer.WriteLine($"{entry.Name}: {entry.Kind}, {entry.ClrType}{(entry.StaticMethod is null ? "" : "." + entry.StaticMethod)}");
        if (entry.Doc is not null)
        {
            writer.WriteLine();
            foreach (var line in Paragraph.Wrap(entry.Doc, Paragraph.Width - 2)) writer.WriteLine("  " + line);
        }
        Arguments(entry);
        if (entry.Component is { } component) Calls(entry, component);
        if (entry.Function is { } function) Function(function);
        Constraints(entry);
    }

    private void Arguments(VocabularyEntry entry)
    {
        output.Out.WriteLine();
        if (entry.Parameters.Count == 0)
        {
            output.Out.WriteLine("arguments: none");
            return;
        }
        output.Out.WriteLine("arguments");
        var table = new TextColumns();
        foreach (var parameter in entry.Parameters)
        {
            table.Add(parameter.Name, parameter.TypeDescription, parameter.Default is { } value ? $"default {value.ToAvml()}" : "required",
                parameter.Schedulable ? "may move during training: takes a schedule" : "");
            if (vocabulary.Value.ParameterDoc(entry, parameter) is { } doc) table.Note(doc);
        }
        table.WriteTo(output.Out);
    }

    private void Calls(VocabularyEntry entry, ComponentSignature component)
    {
        output.Out.WriteLine();
        var table = new TextColumns();
        if (component.IsStateless)
        {
            // A stateless op is called where it is written: its inputs positional, its arguments named.
            output.Out.WriteLine("call (in place, inputs first)");
            var written = component.Inputs.Select(i => i.Name).Concat(component.Parameters.Count == 0 ? [] : ["…"]);
            Call(table, $"{entry.Name}({string.Join(", ", written)})", component.Inputs, component.OutputType, component.ShapeRule);
        }
        else
        {
            output.Out.WriteLine($"calls (`name` is the instance, as in `name = {entry.Name}(…)`)");
            Call(table, $"name({string.Join(", ", component.Inputs.Select(i => i.Name))})", component.Inputs, component.OutputType, component.ShapeRule);
            foreach (var method in component.Methods)
                Call(table, $"name.{method.Name}({string.Join(", ", method.Inputs.Select(i => i.Name))})", method.Inputs, method.OutputType, method.ShapeRule);
        }
        table.WriteTo(output.Out);
    }

    private void Call(TextColumns table, string written, IEnumerable<InputSignature> inputs, string outputType, string? shapeRule)
    {
        table.Add(written, TypeNames.Call(inputs, outputType));
        table.Add("", "shape " + (shapeRule ?? "not declared: the result's shape is unknown to the checks"));
        if (vocabulary.Value.Catalog.FindType(outputType) is { Members.Count: > 0 } type)
            table.Add("", "selects " + string.Join(", ", type.Members.Select(m => $".{m.Name} ({TypeNames.Bare(m.Type)})")));
    }

    private void Function(FunctionSignature function)
    {
        var facts = new List<string>();
        if (function.Kind == FunctionKind.Feature && function.ShapeRule is { } rule)
        {
            var example = rule.Trim().TrimStart('-', '>').Trim();
            facts.Add($"one example is {example}; an input of this kind is [B, {example.Trim('[', ']')}]");
        }
        if (function.Endless) facts.Add("never runs out: a run over it is counted in steps, not epochs");
        if (function.SingleInput is { } input)
        {
            var feature = vocabulary.Value.Catalog.Functions.FirstOrDefault(f => f.Kind == FunctionKind.Feature && f.ClrType == input)?.Name ?? TypeNames.Bare(input);
            facts.Add($"fills exactly one input, of feature kind `{feature}`");
        }
        if (function.Range.Count > 0) facts.Add(Range(function));
        if (facts.Count == 0) return;
        output.Out.WriteLine();
        foreach (var fact in facts) output.Out.WriteLine(fact);
    }

    /// <summary>A schedule's bounds, as the constraint checks use them at both ends of a run.</summary>
    private static string Range(FunctionSignature schedule)
    {
        var bounds = schedule.Range.Select(b => $"`{b}`").ToList();
        var lists = schedule.Range.Any(b => schedule.FindParameter(b)?.Kind is ParameterKind.DoubleList or ParameterKind.IntList);
        return bounds.Count == 1 && !lists ? $"its value is always {bounds[0]}"
            : bounds.Count == 2 && !lists ? $"its values lie between {bounds[0]} and {bounds[1]}"
            : $"its values lie between the smallest and the largest of {string.Join(", ", bounds)}";
    }

    private void Constraints(VocabularyEntry entry)
    {
        var table = new TextColumns();
        var listed = new HashSet<ConstraintSignature>();
        foreach (var constraint in entry.Constraints.Where(listed.Add)) table.Add(constraint.Rule, constraint.Message ?? "");
        // A further call's own constraints, beyond those of the whole component.
        foreach (var method in entry.Component?.Methods ?? default)
        {
            foreach (var constraint in method.Constraints.Where(listed.Add))
                table.Add(constraint.Rule, (constraint.Message ?? "") + $" (name.{method.Name} only)");
        }
        output.Out.WriteLine();
        if (table.Count == 0)
        {
            output.Out.WriteLine("constraints: none beyond the arguments' types");
            return;
        }
        output.Out.WriteLine("constraints");
        table.WriteTo(output.Out);
    }
}
