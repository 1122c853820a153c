namespace AvDsl.Runtime.Torch;

/// <summary>PyTorch's <c>torch.autograd</c> functions beyond <see cref="Tensor.Backward"/>.</summary>
public static class Autograd
{
    /// <summary><paramref name="compute"/>'s result with no graph behind it: nothing it computes keeps activations for a backward pass.</summary>
    public static Tensor WithoutGrad(Func<Tensor> compute)
    {
        using var grad = Torch.NoGrad();
        return compute();
    }

    /// <summary>
    /// <c>torch.autograd.grad</c>: the gradients of <paramref name="outputs"/> (weighted by
    /// <paramref name="gradOutputs"/>; null = ones for scalars) with respect to <paramref name="inputs"/>, returned
    /// as new tensors in the current scope instead of accumulated into <c>.Grad</c>. An entry is null when its input
    /// was not used and <paramref name="allowUnused"/> is set. <paramref name="createGraph"/> makes the gradients
    /// differentiable (higher-order derivatives, gradient penalties).
    /// </summary>
    public static unsafe Tensor?[] Grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?>? gradOutputs = null,
        bool retainGraph = false, bool createGraph = false, bool allowUnused = false)
    {
        if (outputs.Count == 0 || inputs.Count == 0)
            throw new ArgumentException("autograd.grad: needs at least one output and one input.");
        if (gradOutputs is not null && gradOutputs.Count != outputs.Count)
            throw new ArgumentException($"autograd.grad: {gradOutputs.Count} grad_outputs for {outputs.Count} outputs.");
        var outs = new IntPtr[outputs.Count];
        var grads = new IntPtr[outputs.Count];
        var ins = new IntPtr[inputs.Count];
        var results = new IntPtr[inputs.Count];
        for (var i = 0; i < outs.Length; i++)
        {
            outs[i] = outputs[i].HandleFor("Autograd.Grad");
            grads[i] = gradOutputs?[i]?.HandleFor("Autograd.Grad") ?? IntPtr.Zero;
        }
        for (var i = 0; i < ins.Length; i++)
            ins[i] = inputs[i].HandleFor("Autograd.Grad");
        fixed (IntPtr* o = outs)
        fixed (IntPtr* g = grads)
        fixed (IntPtr* x = ins)
        fixed (IntPtr* r = results)
        {
            var status = NativeMethods.avt_autograd_grad(o, outs.Length, g, x, ins.Length, retainGraph ? 1 : 0, createGraph ? 1 : 0, allowUnused ? 1 : 0, r);
            GC.KeepAlive(outputs);
            GC.KeepAlive(inputs);
            GC.KeepAlive(gradOutputs);
            NativeMethods.Check(status, "Autograd.Grad");
        }
        return results.Select(h => h == IntPtr.Zero ? null : new Tensor(h)).ToArray();
    }

    /// <summary>The gradient of a scalar <paramref name="output"/> with respect to each of <paramref name="inputs"/>.</summary>
    public static Tensor[] Grad(Tensor output, params Tensor[] inputs) => Grad([output], inputs).Select(g => g!).ToArray();
}
