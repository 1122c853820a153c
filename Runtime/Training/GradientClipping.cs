using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>PyTorch's <c>clip_grad_norm_</c>.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales all gradients by min(1, maxNorm / (‖g‖ + 1e-6)), ‖g‖ the 2-norm over every gradient together.
    /// Returns ‖g‖ before clipping.
    /// </summary>
    public static double ClipByGlobalNorm(IEnumerable<Tensor> parameters, double maxNorm)
    {
        if (maxNorm <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxNorm), $"clip: max norm must be positive, got {maxNorm}.");
        using var noGrad = new GradModeScope(enabled: false);
        using var scope = new TensorScope();
        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToList();
        if (grads.Count == 0)
            return 0.0;
        var total = Torch.Torch.Stack(grads.Select(g => g.Norm(2.0))).Norm(2.0).Item<double>();
        var coefficient = maxNorm / (total + 1e-6);
        if (coefficient < 1.0)
            foreach (var grad in grads)
                grad.Mul_(coefficient);
        return total;
    }
}
