using System.Runtime.InteropServices;

namespace AvDsl.Runtime.Torch;

/// <summary>PyTorch's <c>torch.*</c> namespace: creation, random seeding, grad mode, threads, devices.</summary>
public static class Torch
{
    /// <summary>The libtorch version the native shim was built against, e.g. "1.13.0".</summary>
    public static string Version
    {
        get
        {
            NativeMethods.EnsureLoaded();
            return Marshal.PtrToStringUTF8(NativeMethods.avt_version()) ?? "";
        }
    }

    // ---- random numbers -------------------------------------------------------------------------------

    /// <summary>Seeds libtorch's default generators (CPU, and CUDA when present).</summary>
    public static void ManualSeed(long seed)
    {
        NativeMethods.EnsureLoaded();
        NativeMethods.Check(NativeMethods.avt_manual_seed(unchecked((ulong)seed)), "Torch.ManualSeed");
    }

    /// <summary>The default CPU generator's state (a UInt8 tensor), for bit-identical resumes.</summary>
    public static Tensor GetRngState()
    {
        NativeMethods.EnsureLoaded();
        NativeMethods.Check(NativeMethods.avt_rng_state_get(out var state), "Torch.GetRngState");
        return new Tensor(state);
    }

    public static void SetRngState(Tensor state)
    {
        NativeMethods.Check(NativeMethods.avt_rng_state_set(state.HandleFor("Torch.SetRngState")), "Torch.SetRngState");
        GC.KeepAlive(state);
    }

    // ---- grad mode, threads, devices ------------------------------------------------------------------

    /// <summary><c>using (Torch.Autocast(DeviceType.Cuda)) { ... }</c>: mixed precision (bf16 by default) on this thread.</summary>
    public static AutocastScope Autocast(DeviceType device, DType dtype = DType.BFloat16) => new(device, dtype);

    /// <summary><c>using (Torch.NoGrad()) { ... }</c>: no autograd graph is recorded inside (this thread).</summary>
    public static GradModeScope NoGrad() => new(enabled: false);

    /// <summary>Re-enables autograd inside a <see cref="NoGrad"/> region.</summary>
    public static GradModeScope EnableGrad() => new(enabled: true);

    public static bool IsGradEnabled
    {
        get
        {
            NativeMethods.EnsureLoaded();
            NativeMethods.Check(NativeMethods.avt_grad_mode_set(1, out var previous), "Torch.IsGradEnabled");
            NativeMethods.Check(NativeMethods.avt_grad_mode_set(previous, out _), "Torch.IsGradEnabled");
            return previous != 0;
        }
    }

    /// <summary>libtorch's intra-op thread count (initialised from AVDSL_THREADS or the processor count).</summary>
    public static void SetNumThreads(int count)
    {
        NativeMethods.EnsureLoaded();
        NativeMethods.Check(NativeMethods.avt_threads_set(count), "Torch.SetNumThreads");
    }

    public static int GetNumThreads()
    {
        NativeMethods.EnsureLoaded();
        NativeMethods.Check(NativeMethods.avt_threads_get(out var count), "Torch.GetNumThreads");
        return count;
    }

    public static int CudaDeviceCount
    {
        get
        {
            NativeMethods.EnsureLoaded();
            NativeMethods.Check(NativeMethods.avt_cuda_device_count(out var count), "Torch.CudaDeviceCount");
            return count;
        }
    }

    public static bool IsCudaAvailable => CudaDeviceCount > 0;

    // ---- creation -------------------------------------------------------------------------------------

    public static Tensor Empty(params long[] shape) => Empty(shape, DType.Float32);
    public static Tensor Empty(long[] shape, DType dtype, Device? device = null) => Aten.Empty.Call(shape, dtype, OpArg.None, device);

    public static Tensor Zeros(params long[] shape) => Zeros(shape, DType.Float32);
    public static Tensor Zeros(long[] shape, DType dtype, Device? device = null) => Aten.Zeros.Call(shape, dtype, OpArg.None, device);

    public static Tensor Ones(params long[] shape) => Ones(shape, DType.Float32);
    public static Tensor Ones(long[] shape, DType dtype, Device? device = null) => Aten.Ones.Call(shape, dtype, OpArg.None, device);

    public static Tensor Full(long[] shape, double value, DType dtype = DType.Float32, Device? device = null) =>
        Aten.Full.Call(shape, value, dtype, OpArg.None, device);

    /// <summary>Uniform on [0, 1), from the default generator.</summary>
    public static Tensor Rand(params long[] shape) => Rand(shape, DType.Float32);
    public static Tensor Rand(long[] shape, DType dtype, Device? device = null) => Aten.Rand.Call(shape, dtype, OpArg.None, device);

    /// <summary>Standard normal, from the default generator.</summary>
    public static Tensor Randn(params long[] shape) => Randn(shape, DType.Float32);
    public static Tensor Randn(long[] shape, DType dtype, Device? device = null) => Aten.Randn.Call(shape, dtype, OpArg.None, device);

    /// <summary>Uniform on [0, 1) from <paramref name="generator"/>.</summary>
    public static Tensor Rand(long[] shape, Generator generator, DType dtype = DType.Float32) => Aten.RandGenerator.Call(shape, generator, dtype, OpArg.None, generator.Device);

    /// <summary>Standard normal from <paramref name="generator"/>.</summary>
    public static Tensor Randn(long[] shape, Generator generator, DType dtype = DType.Float32) => Aten.RandnGenerator.Call(shape, generator, dtype, OpArg.None, generator.Device);

    /// <summary>N(<paramref name="mean"/>, <paramref name="std"/>²) of <paramref name="shape"/> (default generator when null).</summary>
    public static Tensor Normal(double mean, double std, long[] shape, Generator? generator = null, DType dtype = DType.Float32)
    {
        if (std < 0)
            throw new ArgumentOutOfRangeException(nameof(std), $"normal: std must be non-negative, got {std}.");
        return Aten.Normal.Call(mean, std, shape, generator, dtype, OpArg.None, generator?.Device);
    }

    /// <summary>Integers uniform on [<paramref name="low"/>, <paramref name="high"/>) as Int64 (on the generator's device, else
    /// on <paramref name="device"/> from its default generator).</summary>
    public static Tensor Randint(long low, long high, long[] shape, Generator? generator = null, Device? device = null)
    {
        if (high <= low)
            throw new ArgumentException($"randint: high ({high}) must exceed low ({low}).");
        return Aten.RandintLow.Call(low, high, shape, generator, DType.Int64, OpArg.None, generator?.Device ?? device);
    }

    /// <summary>A random permutation of 0..n-1 as Int64.</summary>
    public static Tensor Randperm(long n, Generator? generator = null) =>
        Aten.Randperm.Call(n, generator, DType.Int64, OpArg.None, generator?.Device);

    /// <summary>0, 1, ..., end - 1 as Int64.</summary>
    public static Tensor Arange(long end) => Arange(0, end);

    /// <summary>start, start + step, ... (below end) as Int64.</summary>
    public static Tensor Arange(long start, long end, long step = 1) => Aten.Arange.Call(start, end, step, DType.Int64);

    /// <summary>start, start + step, ... (below end) as a floating-point dtype.</summary>
    public static Tensor Arange(double start, double end, double step, DType dtype = DType.Float32) =>
        Aten.Arange.Call(start, end, step, dtype);

    public static Tensor ZerosLike(Tensor like) => Aten.ZerosLike.Call(like);
    public static Tensor OnesLike(Tensor like) => Aten.OnesLike.Call(like);
    public static Tensor RandnLike(Tensor like) => Aten.RandnLike.Call(like);

    /// <summary>A 0-dimensional tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32) => Full([], value, dtype);

    /// <summary>Copies <paramref name="data"/> into a new tensor; with no shape it is 1-D.</summary>
    public static Tensor FromArray<T>(T[] data, params long[] shape) where T : unmanaged =>
        FromSpan<T>(data, shape);

    /// <summary>Copies <paramref name="data"/> into a new tensor of <paramref name="shape"/> (1-D when empty).</summary>
    public static Tensor FromSpan<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape) where T : unmanaged
    {
        long[] resolved = shape.Length == 0 ? [data.Length] : shape.ToArray();
        long count = 1;
        foreach (var size in resolved) count *= size;
        if (count != data.Length)
            throw new ArgumentException($"Torch.FromArray: {data.Length} {typeof(T).Name} values cannot fill shape [{string.Join(", ", resolved)}] ({count} elements).");
        return new Tensor(Tensor.FromSpanRaw(data, resolved, "Torch.FromArray"));
    }

    // ---- combining ------------------------------------------------------------------------------------

    /// <summary>Joins tensors along an existing dimension.</summary>
    public static Tensor Cat(IEnumerable<Tensor> tensors, long dim = 0) => Aten.Cat.Call(tensors.ToArray<Tensor?>(), dim);

    /// <summary>Joins tensors along a new dimension.</summary>
    public static Tensor Stack(IEnumerable<Tensor> tensors, long dim = 0) => Aten.Stack.Call(tensors.ToArray<Tensor?>(), dim);

    /// <summary>Elementwise <c>condition ? a : b</c>.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b) => Aten.Where.Call(condition, a, b);
}
