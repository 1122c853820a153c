using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Text;
using Microsoft.CodeAnalysis;

namespace AvDsl.Generator;

/// <summary>Projects the attributed Runtime classes (Roslyn symbols) to the equatable catalog the binder checks against:
/// [Component] classes and static methods, [Schedule], [Feature], [Optimizer] and [DataSource] classes. No symbol leaves
/// this class, so the incremental pipeline caches on the projection alone.</summary>
internal static class CatalogReader
{
    public const string ComponentAttribute = "AvDsl.Runtime.ComponentAttribute";
    public const string ShapeAttribute = "AvDsl.Runtime.ShapeAttribute";
    private const string ConstraintAttribute = "AvDsl.Runtime.ConstraintAttribute";
    private const string SpecDefaultAttribute = "AvDsl.Runtime.SpecDefaultAttribute";
    private const string DurationType = "AvDsl.Runtime.Training.Duration";
    private const string SpecModelType = "AvDsl.Runtime.Training.SpecModel";
    private const string PrecisionType = "AvDsl.Runtime.Training.Precision";
    private const string PatchTargetInterface = "AvDsl.Runtime.Objectives.IPatchTarget";
    private const string WithoutGradAttribute = "AvDsl.Runtime.WithoutGradAttribute";

    /// <summary>The attributes that put a Runtime type in the vocabulary, with the kind of function each marks.</summary>
    public static readonly IReadOnlyDictionary<string, FunctionKind> FunctionAttributes = new Dictionary<string, FunctionKind>
    {
        ["AvDsl.Runtime.ScheduleAttribute"] = FunctionKind.Schedule,
        ["AvDsl.Runtime.FeatureAttribute"] = FunctionKind.Feature,
        ["AvDsl.Runtime.OptimizerAttribute"] = FunctionKind.Optimizer,
        ["AvDsl.Runtime.DataSourceAttribute"] = FunctionKind.DataSource,
        ["AvDsl.Runtime.ProtocolAttribute"] = FunctionKind.Protocol,
    };

    /// <summary>Every attribute a vocabulary entry can carry, for the pipelines that find a user's own.</summary>
    public static IEnumerable<string> VocabularyAttributes => new[] { ComponentAttribute }.Concat(FunctionAttributes.Keys);

    /// <summary>Entries compiled into referenced assemblies (AvDsl.Runtime and any library of components).</summary>
    public static ComponentCatalog ReadReferenced(Compilation compilation, CancellationToken cancel)
    {
        var attribute = compilation.GetTypeByMetadataName(ComponentAttribute);
        if (attribute is null) return ComponentCatalog.Empty;
        var symbols = new List<ISymbol>();
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            cancel.ThrowIfCancellationRequested();
            if (!SymbolEqualityComparer.Default.Equals(assembly, attribute.ContainingAssembly)
                && !assembly.Modules.Any(m => m.ReferencedAssemblySymbols.Any(r => SymbolEqualityComparer.Default.Equals(r, attribute.ContainingAssembly))))
            {
                continue;
            }
            Collect(assembly.GlobalNamespace, symbols);
        }
        return Build(symbols) with
        {
            ReservedMembers = InheritedMembers(compilation.GetTypeByMetadataName(SpecModelType)),
            Precisions = EnumWords(compilation.GetTypeByMetadataName(PrecisionType)),
        };
    }

    /// <summary>An enum's members as a spec writes them (<c>Bf16</c> → <c>bf16</c>).</summary>
    private static EquatableArray<string> EnumWords(INamedTypeSymbol? type) =>
        (type?.GetMembers().OfType<IFieldSymbol>().Where(f => f.IsConst).Select(f => SnakeCase.From(f.Name)) ?? Enumerable.Empty<string>()).ToEquatableArray();

    /// <summary>Every member name a generated model inherits, so that no component property hides one.</summary>
    private static EquatableArray<string> InheritedMembers(INamedTypeSymbol? model)
    {
        var names = new SortedSet<string>(System.StringComparer.Ordinal);
        for (var type = model; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
                if (member.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected && member.CanBeReferencedByName) names.Add(member.Name);
        }
        return names.ToEquatableArray();
    }

    /// <summary>Entries declared in the project being compiled (users add their own this way).</summary>
    public static ComponentCatalog ReadDeclared(IEnumerable<ISymbol> symbols) => Build(symbols);

    public static ComponentCatalog Merge(ComponentCatalog first, ComponentCatalog second) =>
        new(first.Components.Concat(second.Components).OrderBy(c => c.Name, System.StringComparer.Ordinal).ToEquatableArray(),
            first.Types.Concat(second.Types).GroupBy(t => t.ClrType).Select(g => g.First()).OrderBy(t => t.ClrType, System.StringComparer.Ordinal).ToEquatableArray(),
            first.Functions.Concat(second.Functions).OrderBy(f => f.Kind).ThenBy(f => f.Name, System.StringComparer.Ordinal).ToEquatableArray(),
            first.ReservedMembers.Concat(second.ReservedMembers).Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToEquatableArray(),
            first.Precisions.Concat(second.Precisions).Distinct().ToEquatableArray());

    private static void Collect(INamespaceSymbol ns, List<ISymbol> into)
    {
        foreach (var member in ns.GetMembers())
        {
            if (member is INamespaceSymbol child) Collect(child, into);
            else if (member is INamedTypeSymbol { DeclaredAccessibility: Accessibility.Public } type)
            {
                if (VocabularyName(type) is not null) into.Add(type);
                if (type.IsStatic)
                    into.AddRange(type.GetMembers().OfType<IMethodSymbol>().Where(m => m.DeclaredAccessibility == Accessibility.Public && VocabularyName(m) is not null));
            }
        }
    }

    private static AttributeData? VocabularyAttribute(ISymbol symbol) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass is { } c && VocabularyAttributes.Contains(c.ToDisplayString()));

    private static string? VocabularyName(ISymbol symbol) => VocabularyAttribute(symbol)?.ConstructorArguments.FirstOrDefault().Value as string;

    private static ComponentCatalog Build(IEnumerable<ISymbol> symbols)
    {
        var components = new List<ComponentSignature>();
        var functions = new List<FunctionSignature>();
        var types = new Dictionary<string, ValueTypeSignature>();
        foreach (var symbol in symbols)
        {
            var attribute = VocabularyAttribute(symbol);
            if (attribute?.ConstructorArguments.FirstOrDefault().Value is not string name) continue;
            var attributeName = attribute.AttributeClass!.ToDisplayString();
            if (FunctionAttributes.TryGetValue(attributeName, out var kind))
            {
                if (symbol is INamedTypeSymbol type && ReadFunction(kind, name, type, attribute) is { } function) functions.Add(function);
            }
            else if ((symbol is INamedTypeSymbol type ? Read(name, type, types) : ReadStatic(name, (IMethodSymbol)symbol, types)) is { } signature)
            {
                components.Add(signature);
            }
        }
        return new ComponentCatalog(
            components.OrderBy(c => c.Name, System.StringComparer.Ordinal).ToEquatableArray(),
            types.Values.OrderBy(t => t.ClrType, System.StringComparer.Ordinal).ToEquatableArray(),
            functions.OrderBy(f => f.Kind).ThenBy(f => f.Name, System.StringComparer.Ordinal).ToEquatableArray());
    }

    /// <summary>A schedule, feature kind, optimizer or data source: its constructor's parameters are the spec's arguments.</summary>
    private static FunctionSignature? ReadFunction(FunctionKind kind, string name, INamedTypeSymbol type, AttributeData attribute)
    {
        var constructor = SpecConstructor(type);
        if (constructor is null) return null;
        var parameters = new List<ParameterSignature>();
        foreach (var parameter in constructor.Parameters)
        {
            var signature = ReadParameter(parameter);
            if (signature is null) return null;
            parameters.Add(signature);
        }
        var named = attribute.NamedArguments.ToDictionary(a => a.Key, a => a.Value);
        var endless = named.TryGetValue("Endless", out var e) && e.Value is true;
        var single = named.TryGetValue("SingleInput", out var s) && s.Value is ITypeSymbol input ? FullName(input) : null;
        var range = named.TryGetValue("Range", out var r) && r.Value is string bounds
            ? bounds.Split(',').Select(b => b.Trim()).Where(b => b.Length > 0).ToEquatableArray()
            : EquatableArray<string>.Empty;
        return new FunctionSignature(kind, name, FullName(type), parameters.ToEquatableArray(), ShapeRuleOf(type), endless, single,
            ConstraintsOf(type), range, DocOf(type));
    }

    /// <summary>The public constructor with the most parameters (a record's primary one).</summary>
    private static IMethodSymbol? SpecConstructor(INamedTypeSymbol type) => type.InstanceConstructors
        .Where(c => c.DeclaredAccessibility == Accessibility.Public && !(c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, type)))
        .OrderByDescending(c => c.Parameters.Length)
        .FirstOrDefault();

    private static EquatableArray<ConstraintSignature> ConstraintsOf(params ISymbol[] symbols) => symbols
        .SelectMany(s => s.GetAttributes())
        .Where(a => a.AttributeClass?.ToDisplayString() == ConstraintAttribute && a.ConstructorArguments.Length == 2)
        .Select(a => new ConstraintSignature((string)a.ConstructorArguments[0].Value!, a.ConstructorArguments[1].Value as string))
        .ToEquatableArray();

    /// <summary>The summary of a symbol's documentation comment as one line of plain text; null without one.</summary>
    private static string? DocOf(ISymbol symbol)
    {
        var xml = symbol.GetDocumentationCommentXml(expandIncludes: false);
        if (string.IsNullOrWhiteSpace(xml)) return null;
        try
        {
            var summary = System.Xml.Linq.XElement.Parse(xml).Element("summary");
            if (summary is null) return null;
            var parts = summary.Nodes().Select(n => n switch
            {
                System.Xml.Linq.XText text => text.Value,
                System.Xml.Linq.XElement { Name.LocalName: "see" or "paramref" or "typeparamref" } e =>
                    (string?)e.Attribute("cref") is { } cref ? cref.Substring(cref.IndexOf(':') + 1).Split('.').Last() : (string?)e.Attribute("name") ?? e.Value,
                System.Xml.Linq.XElement e => e.Value,
                _ => string.Empty,
            });
            return System.Text.RegularExpressions.Regex.Replace(string.Concat(parts), @"\s+", " ").Trim();
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    private static string? ShapeRuleOf(ISymbol symbol) => symbol.GetAttributes()
        .Where(a => a.AttributeClass?.ToDisplayString() == ShapeAttribute)
        .Select(a => a.ConstructorArguments.FirstOrDefault().Value as string)
        .FirstOrDefault();

    /// <summary>Null when the class cannot be a component (no public constructor, no Forward, or a parameter type a spec cannot write).</summary>
    private static ComponentSignature? Read(string name, INamedTypeSymbol type, Dictionary<string, ValueTypeSignature> types)
    {
        var constructor = SpecConstructor(type);
        var forward = type.GetMembers("Forward").OfType<IMethodSymbol>()
            .FirstOrDefault(m => m.DeclaredAccessibility == Accessibility.Public && !m.IsStatic);
        if (constructor is null || forward is null || forward.ReturnsVoid) return null;

        var parameters = new List<ParameterSignature>();
        foreach (var parameter in constructor.Parameters)
        {
            var signature = ReadParameter(parameter);
            if (signature is null) return null;
            parameters.Add(signature.Kind == ParameterKind.Double && HasSettableProperty(type, parameter.Name) ? signature with { Schedulable = true } : signature);
        }
        var call = ReadMethod(forward, types, type);
        // Further public Forward* methods are further calls: ForwardLayers is `encoder.layers(x)`.
        var methods = type.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.DeclaredAccessibility == Accessibility.Public && !m.IsStatic && m.MethodKind == MethodKind.Ordinary
                && m.Name.Length > "Forward".Length && m.Name.StartsWith("Forward", System.StringComparison.Ordinal) && !m.ReturnsVoid)
            .OrderBy(m => m.Name, System.StringComparer.Ordinal)
            .Select(m => ReadMethod(m, types, type))
            .ToEquatableArray();
        return new ComponentSignature(name, FullName(type), parameters.ToEquatableArray(), call.Inputs, call.OutputType, call.ShapeRule, methods,
            Constraints: call.Constraints, Doc: DocOf(type), PatchTarget: type.AllInterfaces.Any(i => FullName(i) == PatchTargetInterface));
    }

    /// <summary>A stateless op: the leading tensor (or result) parameters are its inputs, the rest its arguments.</summary>
    private static ComponentSignature? ReadStatic(string name, IMethodSymbol method, Dictionary<string, ValueTypeSignature> types)
    {
        if (!method.IsStatic || method.ReturnsVoid) return null;
        var inputCount = method.Parameters.TakeWhile(p => ReadParameter(p) is null).Count();
        var parameters = new List<ParameterSignature>();
        foreach (var parameter in method.Parameters.Skip(inputCount))
        {
            var signature = ReadParameter(parameter);
            if (signature is null) return null;
            parameters.Add(signature);
        }
        var inputs = method.Parameters.Take(inputCount).Select(p => new InputSignature(SnakeCase.From(p.Name), p.Name, FullName(p.Type))).ToEquatableArray();
        foreach (var p in method.Parameters.Take(inputCount)) AddValueType(p.Type, types);
        AddValueType(method.ReturnType, types);
        return new ComponentSignature(name, FullName(method.ContainingType), parameters.ToEquatableArray(), inputs, FullName(method.ReturnType), ShapeRuleOf(method),
            EquatableArray<MethodSignature>.Empty, StaticMethod: method.Name, Constraints: ConstraintsOf(method), Doc: DocOf(method),
            InputsWithoutGrad: method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == WithoutGradAttribute));
    }

    private static MethodSignature ReadMethod(IMethodSymbol method, Dictionary<string, ValueTypeSignature> types, INamedTypeSymbol owner)
    {
        var inputs = method.Parameters.Select(p => new InputSignature(SnakeCase.From(p.Name), p.Name, FullName(p.Type))).ToEquatableArray();
        foreach (var p in method.Parameters) AddValueType(p.Type, types);
        AddValueType(method.ReturnType, types);
        var shape = ShapeRuleOf(method);
        return new MethodSignature(SnakeCase.From(method.Name.Substring("Forward".Length)), method.Name, inputs, FullName(method.ReturnType), shape,
            ConstraintsOf(owner, method));
    }

    /// <summary>A double argument may take a schedule when the class exposes it as a settable property.</summary>
    private static bool HasSettableProperty(INamedTypeSymbol type, string parameter) =>
        type.GetMembers().OfType<IPropertySymbol>().Any(p =>
            string.Equals(p.Name, parameter, System.StringComparison.OrdinalIgnoreCase)
            && p.Type.SpecialType == SpecialType.System_Double
            && p.SetMethod is { DeclaredAccessibility: Accessibility.Public, IsInitOnly: false });

    private static ParameterSignature? ReadParameter(IParameterSymbol parameter)
    {
        var type = parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : parameter.Type;
        ParameterKind kind;
        EquatableArray<string> members = default;
        EquatableArray<string> clrMembers = default;
        string? enumType = null;
        switch (type.SpecialType)
        {
            case SpecialType.System_Int32: kind = ParameterKind.Int; break;
            case SpecialType.System_Int64: kind = ParameterKind.Long; break;
            case SpecialType.System_Double: kind = ParameterKind.Double; break;
            case SpecialType.System_Boolean: kind = ParameterKind.Bool; break;
            case SpecialType.System_String: kind = ParameterKind.String; break;
            default:
                if (FullName(type) == DurationType) kind = ParameterKind.Duration;
                else if (type is IArrayTypeSymbol durations && FullName(durations.ElementType) == DurationType) kind = ParameterKind.DurationList;
                else if (type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Int32 }) kind = ParameterKind.IntList;
                else if (type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Double }) kind = ParameterKind.DoubleList;
                else if (type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_String }) kind = ParameterKind.StringList;
                else if (type.TypeKind == TypeKind.Enum)
                {
                    kind = ParameterKind.Enum;
                    enumType = FullName(type);
                    var fields = type.GetMembers().OfType<IFieldSymbol>().Where(f => f.IsConst).ToList();
                    members = fields.Select(f => SnakeCase.From(f.Name)).ToEquatableArray();
                    clrMembers = fields.Select(f => f.Name).ToEquatableArray();
                }
                else return null;
                break;
        }
        Value? value = null;
        var written = parameter.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == SpecDefaultAttribute)?.ConstructorArguments.FirstOrDefault().Value as string;
        var signature = new ParameterSignature(SnakeCase.From(parameter.Name), parameter.Name, kind, null, enumType, members, clrMembers);
        if (written is not null)
        {
            // A default the parser does not accept leaves the parameter required rather than guessing.
            return signature with { Default = AvDsl.Dsl.Binding.DefaultValue.Parse(written, signature) };
        }
        if (parameter.HasExplicitDefaultValue)
        {
            value = parameter.ExplicitDefaultValue switch
            {
                int i when kind == ParameterKind.Enum => new EnumValue(EnumMember(type, i)),
                int i => new IntValue(i),
                long l => new IntValue(l),
                double d => new DoubleValue(d),
                bool b => new BoolValue(b),
                string s => new StringValue(s),
                _ => null,
            };
        }
        return signature with { Default = value };
    }

    private static string EnumMember(ITypeSymbol type, int value) =>
        type.GetMembers().OfType<IFieldSymbol>().Where(f => f.IsConst && System.Convert.ToInt32(f.ConstantValue) == value)
            .Select(f => SnakeCase.From(f.Name)).FirstOrDefault() ?? value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void AddValueType(ITypeSymbol type, Dictionary<string, ValueTypeSignature> types)
    {
        var name = FullName(type);
        if (name == ComponentCatalog.TensorType || types.ContainsKey(name) || type.SpecialType != SpecialType.None || type is not INamedTypeSymbol named) return;
        var properties = named.GetMembers().OfType<IPropertySymbol>()
            .Where(p => p.DeclaredAccessibility == Accessibility.Public && !p.IsStatic && !p.IsIndexer && p.Name != "EqualityContract")
            .ToList();
        types[name] = new ValueTypeSignature(name, properties.Select(p => new MemberSignature(SnakeCase.From(p.Name), p.Name, FullName(p.Type))).ToEquatableArray());
        foreach (var property in properties) AddValueType(property.Type, types);
    }

    public static string FullName(ITypeSymbol type) =>
        type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.None))
            .Replace("global::", string.Empty);
}
