namespace AvDsl.Runtime.Torch;

/// <summary>
/// Multi-tensor updates that the native shim does in one call, one pass over memory per tensor (PyTorch's
/// <c>torch._fused_adamw_</c> and the <c>torch._foreach_lerp_</c> an EMA teacher runs): the optimizer and the EMA
/// call these rather than the shim.
/// </summary>
internal static class Fused
{
    /// <summary>
    /// One AdamW step (decoupled weight decay, bias-corrected moments) of every parameter in place, with its
    /// moments; parameters without a gradient are left alone. <paramref name="learningRateScale"/> null means 1.
    /// </summary>
    internal static unsafe void AdamW_(Tensor[] parameters, Tensor[] expAvg, Tensor[] expAvgSq, double[] weightDecay,
        double[]? learningRateScale, double learningRate, double beta1, double beta2, double eps, long step)
    {
        var n = parameters.Length;
        var p = Handles(parameters, "AdamW.Step");
        var m = Handles(expAvg, "AdamW.Step");
        var v = Handles(expAvgSq, "AdamW.Step");
        fixed (IntPtr* pp = p)
        fixed (IntPtr* pm = m)
        fixed (IntPtr* pv = v)
        fixed (double* d = weightDecay)
        fixed (double* s = learningRateScale)
        {
            var status = NativeMethods.avt_adamw_step(pp, pm, pv, d, s, n, learningRate, beta1, beta2, eps, step);
            GC.KeepAlive(parameters);
            GC.KeepAlive(expAvg);
            GC.KeepAlive(expAvgSq);
            NativeMethods.Check(status, "AdamW.Step");
        }
    }

    /// <summary>teacher ← decay · teacher + (1 − decay) · student, for every pair, in place and outside autograd.</summary>
    internal static unsafe void EmaUpdate_(Tensor[] teachers, Tensor[] students, double decay)
    {
        var t = Handles(teachers, "Ema.Step");
        var s = Handles(students, "Ema.Step");
        fixed (IntPtr* pt = t)
        fixed (IntPtr* ps = s)
        {
            var status = NativeMethods.avt_ema_step(pt, ps, t.Length, decay);
            GC.KeepAlive(teachers);
            GC.KeepAlive(students);
            NativeMethods.Check(status, "Ema.Step");
        }
    }

    internal static IntPtr[] Handles(Tensor[] tensors, string operation)
    {
        var handles = new IntPtr[tensors.Length];
        for (var i = 0; i < tensors.Length; i++)
            handles[i] = tensors[i].HandleFor(operation);
        return handles;
    }
}
