using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Catalog;

/// <summary>The language's vocabulary: components, and the schedules, feature kinds, optimizers and data sources.
/// The generator projects it from the attributed Runtime classes (and a user's own) and emits it into the compiled
/// program, where the CLI reads the same table; nothing else names them.</summary>
/// <param name="Precisions">The words <c>train { precision: … }</c> takes: Runtime's Precision enum, in snake_case.</param>
/// <param name="ReservedMembers">Members every generated model inherits (from Runtime's SpecModel, Module and object), which
/// a component's property must not hide.</param>
public sealed record ComponentCatalog(
    EquatableArray<ComponentSignature> Components,
    EquatableArray<ValueTypeSignature> Types,
    EquatableArray<FunctionSignature> Functions = default,
    EquatableArray<string> ReservedMembers = default,
    EquatableArray<string> Precisions = default)
{
    public const string TensorType = "AvDsl.Runtime.Torch.Tensor";

    /// <summary>The schedule a bare number stands for where a schedule is expected (<c>lr: 1e-3</c>).</summary>
    public const string ConstantSchedule = "constant";

    public static ComponentCatalog Empty { get; } = new(EquatableArray<ComponentSignature>.Empty, EquatableArray<ValueTypeSignature>.Empty, EquatableArray<FunctionSignature>.Empty, EquatableArray<string>.Empty, EquatableArray<string>.Empty);

    public ComponentSignature? Find(string name) => Components.FirstOrDefault(c => c.Name == name);

    public ValueTypeSignature? FindType(string clrType) => Types.FirstOrDefault(t => t.ClrType == clrType);

    /// <summary>The functions of one kind by name, in name order.</summary>
    public IReadOnlyDictionary<string, FunctionSignature> Vocabulary(FunctionKind kind) =>
        Functions.Where(f => f.Kind == kind).OrderBy(f => f.Name, System.StringComparer.Ordinal).ToDictionary(f => f.Name);

    public IReadOnlyDictionary<string, FunctionSignature> Schedules => Vocabulary(FunctionKind.Schedule);

    public IReadOnlyDictionary<string, FunctionSignature> Features => Vocabulary(FunctionKind.Feature);

    public IReadOnlyDictionary<string, FunctionSignature> Optimizers => Vocabulary(FunctionKind.Optimizer);

    public IReadOnlyDictionary<string, FunctionSignature> DataSources => Vocabulary(FunctionKind.DataSource);

    public IReadOnlyDictionary<string, FunctionSignature> Protocols => Vocabulary(FunctionKind.Protocol);

    public FunctionSignature? FindFunction(FunctionKind kind, string name) => Functions.FirstOrDefault(f => f.Kind == kind && f.Name == name);
}
