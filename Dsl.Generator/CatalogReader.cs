using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Text;
using Microsoft.CodeAnalysis;

namespace AvDsl.Generator;

/// <summary>Projects [Component] classes (Roslyn symbols) to the equatable catalog the binder checks against.
/// No symbol leaves this class, so the incremental pipeline caches on the projection alone.</summary>
internal static class CatalogReader
{
    public const string ComponentAttribute = "AvDsl.Runtime.ComponentAttribute";
    public const string ShapeAttribute = "AvDsl.Runtime.ShapeAttribute";

    /// <summary>Components compiled into referenced assemblies (AvDsl.Runtime and any library of components).</summary>
    public static ComponentCatalog ReadReferenced(Compilation compilation, CancellationToken cancel)
    {
        var attribute = compilation.GetTypeByMetadataName(ComponentAttribute);
        if (attribute is null) return ComponentCatalog.Empty;
        var classes = new List<INamedTypeSymbol>();
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            cancel.ThrowIfCancellationRequested();
            if (!SymbolEqualityComparer.Default.Equals(assembly, attribute.ContainingAssembly)
                && !assembly.Modules.Any(m => m.ReferencedAssemblySymbols.Any(r => SymbolEqualityComparer.Default.Equals(r, attribute.ContainingAssembly))))
            {
                continue;
            }
            Collect(assembly.GlobalNamespace, attribute, classes);
        }
        return Build(classes, attribute);
    }

    /// <summary>Components declared in the project being compiled (users add their own this way).</summary>
    public static ComponentCatalog ReadDeclared(IEnumerable<INamedTypeSymbol> classes, Compilation compilation)
    {
        var attribute = compilation.GetTypeByMetadataName(ComponentAttribute);
        return attribute is null ? ComponentCatalog.Empty : Build(classes, attribute);
    }

    public static ComponentCatalog Merge(ComponentCatalog first, ComponentCatalog second) =>
        new(first.Components.Concat(second.Components).OrderBy(c => c.Name, System.StringComparer.Ordinal).ToEquatableArray(),
            first.Types.Concat(second.Types).GroupBy(t => t.ClrType).Select(g => g.First()).OrderBy(t => t.ClrType, System.StringComparer.Ordinal).ToEquatableArray());

    private static void Collect(INamespaceSymbol ns, INamedTypeSymbol attribute, List<INamedTypeSymbol> into)
    {
        foreach (var member in ns.GetMembers())
        {
            if (member is INamespaceSymbol child) Collect(child, attribute, into);
            else if (member is INamedTypeSymbol type && type.DeclaredAccessibility == Accessibility.Public && ComponentName(type, attribute) is not null) into.Add(type);
        }
    }

    private static string? ComponentName(INamedTypeSymbol type, INamedTypeSymbol attribute) =>
        type.GetAttributes()
            .Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute))
            .Select(a => a.ConstructorArguments.FirstOrDefault().Value as string)
            .FirstOrDefault();

    private static ComponentCatalog Build(IEnumerable<INamedTypeSymbol> classes, INamedTypeSymbol attribute)
    {
        var components = new List<ComponentSignature>();
        var types = new Dictionary<string, ValueTypeSignature>();
        foreach (var type in classes)
        {
            var name = ComponentName(type, attribute);
            var signature = name is null ? null : Read(name, type, types);
            if (signature is not null) components.Add(signature);
        }
        return new ComponentCatalog(
            components.OrderBy(c => c.Name, System.StringComparer.Ordinal).ToEquatableArray(),
            types.Values.OrderBy(t => t.ClrType, System.StringComparer.Ordinal).ToEquatableArray());
    }

    /// <summary>Null when the class cannot be a component (no public constructor, no Forward, or a parameter type a spec cannot write).</summary>
    private static ComponentSignature? Read(string name, INamedTypeSymbol type, Dictionary<string, ValueTypeSignature> types)
    {
        var constructor = type.InstanceConstructors
            .Where(c => c.DeclaredAccessibility == Accessibility.Public)
            .OrderByDescending(c => c.Parameters.Length)
            .FirstOrDefault();
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
        var call = ReadMethod(forward, types);
        // Further public Forward* methods are further calls: ForwardLayers is `encoder.layers(x)`.
        var methods = type.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.DeclaredAccessibility == Accessibility.Public && !m.IsStatic && m.MethodKind == MethodKind.Ordinary
                && m.Name.Length > "Forward".Length && m.Name.StartsWith("Forward", System.StringComparison.Ordinal) && !m.ReturnsVoid)
            .OrderBy(m => m.Name, System.StringComparer.Ordinal)
            .Select(m => ReadMethod(m, types))
            .ToEquatableArray();
        return new ComponentSignature(name, FullName(type), parameters.ToEquatableArray(), call.Inputs, call.OutputType, call.ShapeRule, methods);
    }

    private static MethodSignature ReadMethod(IMethodSymbol method, Dictionary<string, ValueTypeSignature> types)
    {
        var inputs = method.Parameters.Select(p => new InputSignature(SnakeCase.From(p.Name), p.Name, FullName(p.Type))).ToEquatableArray();
        foreach (var p in method.Parameters) AddValueType(p.Type, types);
        AddValueType(method.ReturnType, types);
        var shape = method.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == ShapeAttribute)
            .Select(a => a.ConstructorArguments.FirstOrDefault().Value as string)
            .FirstOrDefault();
        return new MethodSignature(SnakeCase.From(method.Name.Substring("Forward".Length)), method.Name, inputs, FullName(method.ReturnType), shape);
    }

    /// <summary>A double argument may take a schedule when the class exposes it as a settable property.</summary>
    private static bool HasSettableProperty(INamedTypeSymbol type, string parameter) =>
        type.GetMembers().OfType<IPropertySymbol>().Any(p =>
            string.Equals(p.Name, parameter, System.StringComparison.OrdinalIgnoreCase)
            && p.Type.SpecialType == SpecialType.System_Double
            && p.SetMethod is { DeclaredAccessibility: Accessibility.Public, IsInitOnly: false });

    private static ParameterSignature? ReadParameter(IParameterSymbol parameter)
    {
        var type = parameter.Type;
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
                if (type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Int32 }) kind = ParameterKind.IntList;
                else if (type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Double }) kind = ParameterKind.DoubleList;
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
        return new ParameterSignature(SnakeCase.From(parameter.Name), parameter.Name, kind, value, enumType, members, clrMembers);
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
