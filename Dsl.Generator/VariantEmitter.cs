using System.Linq;
using AvDsl.Dsl.Model;

namespace AvDsl.Generator;

/// <summary>Emits a sweep point that shares its base spec's architecture as what it is: the base's model with a config
/// of its own (<c>EatTinyConfig.Default with { Train = … with { Seed = 1L } }</c>), its own name and resolved text.</summary>
internal static class VariantEmitter
{
    public static string Emit(Spec variant, Spec baseSpec, Emission emission, Emission source)
    {
        var code = SpecEmitter.Header(variant, emission.Types);
        var point = string.Join(", ", variant.Variant!.Point.Select(p => $"{p.Path} = {p.Value}"));
        code.Line($"/// <summary>Sweep {variant.Variant.Sweep} of {baseSpec.Name} at {point}: spec {baseSpec.Name}'s model with this config.</summary>");
        code.Open($"public static class {variant.Name}Spec");
        SpecEmitter.EmitIdentity(code, variant, emission.Root);
        var config = $"{baseSpec.Name}Config";
        code.Line($"public static {config} Config {{ get; }} = {config}.Default with");
        code.Line("{");
        var changed = emission.Properties.Zip(source.Properties, (mine, theirs) => (Mine: mine, Theirs: theirs))
            .Where(p => p.Mine.Literal != p.Theirs.Literal)
            .Select(p => p.Mine)
            .ToList();
        foreach (var property in changed.Where(p => p.Holder.Length == 0))
            code.Line($"    {property.Name} = {property.Literal},");
        foreach (var holder in changed.Where(p => p.Holder.Length > 0).GroupBy(p => p.Holder))
            code.Line($"    {holder.Key} = {config}.Default.{holder.Key} with {{ {string.Join(", ", holder.Select(p => $"{p.Name} = {p.Literal}"))} }},");
        code.Line("};");
        code.Line();
        var plan = emission.Types.Name("AvDsl.Runtime.Training.TrainingPlan");
        code.Line($"public static {plan} Plan({config}? config = null) =>");
        code.Line($"    {baseSpec.Name}Spec.Plan(config ?? Config) with {{ SpecName = Name, ResolvedSpec = ResolvedSpec, VariantOf = {CSharpLiteral.String(baseSpec.Name)} }};");
        code.Close();
        return code.ToString();
    }
}
