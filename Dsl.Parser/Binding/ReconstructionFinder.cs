using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;

namespace AvDsl.Dsl.Binding;

/// <summary>Recognises the loss terms that reconstruct an input (<see cref="ReconstructionModel"/>) in the bound flow and
/// losses. Reports nothing: a loss that is not a reconstruction is simply not one.</summary>
internal sealed class ReconstructionFinder
{
    /// <summary>The output of a noising call that holds the patches as they were before the noise (the target a denoising
    /// decoder is trained to recover): <c>diffusion_noise(…).clean</c>.</summary>
    public const string CleanMember = "clean";

    private readonly Dictionary<string, Expr> _values;
    private readonly HashSet<string> _patchTargets;

    private ReconstructionFinder(IEnumerable<FlowValue> flow, IEnumerable<ComponentModel> components, ComponentCatalog catalog)
    {
        _values = flow.ToDictionary(v => v.Name, v => v.Value, System.StringComparer.Ordinal);
        _patchTargets = new HashSet<string>(components.Where(c => catalog.Find(c.Component) is { PatchTarget: true }).Select(c => c.Name), System.StringComparer.Ordinal);
    }

    public static List<ReconstructionModel> Find(IEnumerable<FlowValue> flow, IEnumerable<LossTerm> losses, IEnumerable<ComponentModel> components, ComponentCatalog catalog)
    {
        var finder = new ReconstructionFinder(flow, components, catalog);
        return losses.Select(finder.Recognise).OfType<ReconstructionModel>().ToList();
    }

    /// <summary><c>loss(P[M], T[M])</c>, possibly scaled by numbers, with T made of an input's patches.</summary>
    private ReconstructionModel? Recognise(LossTerm loss)
    {
        if (Unscaled(loss.Value) is not Invoke { Inputs.Count: 2 } comparison
            || comparison.Inputs[0] is not MaskSelect prediction
            || comparison.Inputs[1] is not MaskSelect target
            || !prediction.Mask.Equals(target.Mask)
            || !ReadsFlowValues(prediction.Target)
            || !ReadsFlowValues(prediction.Mask))
        {
            return null;
        }
        var resolved = Resolve(target.Target);
        if (Cut(resolved) is { } patches)
            return new ReconstructionModel(loss.Name, patches.Input, prediction.Target, prediction.Mask, target.Target, patches.Instance);
        if (resolved is MemberAccess { Name: CleanMember, Target: ValueRef noised }
            && Resolve(noised) is Invoke { Inputs.Count: > 0 } noising
            && Cut(Resolve(noising.Inputs[0])) is { } noisedPatches)
        {
            return new ReconstructionModel(loss.Name, noisedPatches.Input, prediction.Target, prediction.Mask, target.Target, noisedPatches.Instance, noised.Name,
                noising.Instance);
        }
        return null;
    }

    /// <summary>A patch target called on an input: <c>patchify(audio, patch: 16)</c>.</summary>
    private (string Instance, string Input)? Cut(Expr expr) =>
        expr is Invoke { Teacher: null, Method: null, Inputs.Count: 1 } call && call.Inputs[0] is InputRef input && _patchTargets.Contains(call.Instance)
            ? (call.Instance, input.Name)
            : null;

    /// <summary>A flow value's expression in place of its name, through as many names as it takes.</summary>
    private Expr Resolve(Expr expr) => expr is ValueRef value && _values.TryGetValue(value.Name, out var bound) ? Resolve(bound) : expr;

    /// <summary>The term without a scale by numbers: <c>lambda * mse(…) / sqrt(dim)</c> is <c>mse(…)</c>.</summary>
    private static Expr Unscaled(Expr expr) => expr switch
    {
        Binary { Left.Type: Expr.NumberType } scaled when scaled.Operator is '*' => Unscaled(scaled.Right),
        Binary { Right.Type: Expr.NumberType } scaled when scaled.Operator is '*' or '/' => Unscaled(scaled.Left),
        _ => expr,
    };

    /// <summary>Names of flow values and their outputs only (<c>a_pred</c>, <c>a_view.masked</c>): what the model's outputs hold.</summary>
    private static bool ReadsFlowValues(Expr expr) => expr.DescendantsAndSelf().All(e => e is ValueRef or MemberAccess);
}
