namespace AvDsl.Runtime.Torch;

/// <summary>
/// A seeded random-number generator of its own (PyTorch's <c>torch.Generator</c>): pass it to
/// <see cref="Torch.Randn(long[], Generator, DType)"/>, <see cref="Tensor.Bernoulli(double, Generator?)"/> and the
/// other sampling ops to draw a reproducible stream that does not disturb the default generator.
/// </summary>
public sealed class Generator : IDisposable
{
    private IntPtr _handle;

    public Generator(long seed, Device? device = null)
    {
        NativeMethods.EnsureLoaded();
        var type = device?.Type ?? DeviceType.Cpu;
        NativeMethods.Check(NativeMethods.avt_generator_new((int)type, unchecked((ulong)seed), out _handle), "Generator");
        Device = device ?? Device.Cpu;
        InitialSeed = seed;
    }

    ~Generator() => Release();

    public Device Device { get; }

    /// <summary>The seed it was created or last re-seeded with.</summary>
    public long InitialSeed { get; private set; }

    internal IntPtr HandleFor(string operation) =>
        _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(Generator), $"{operation}: the generator was used after it was disposed.");

    /// <summary>Restarts the stream from <paramref name="seed"/> (PyTorch's <c>manual_seed</c>).</summary>
    public void ManualSeed(long seed)
    {
        NativeMethods.Check(NativeMethods.avt_generator_seed(HandleFor("Generator.ManualSeed"), unchecked((ulong)seed)), "Generator.ManualSeed");
        InitialSeed = seed;
        GC.KeepAlive(this);
    }

    /// <summary>The full state (a UInt8 tensor in the current scope), for bit-identical resumes.</summary>
    public Tensor GetState()
    {
        NativeMethods.Check(NativeMethods.avt_generator_state_get(HandleFor("Generator.GetState"), out var state), "Generator.GetState");
        GC.KeepAlive(this);
        return new Tensor(state);
    }

    public void SetState(Tensor state)
    {
        var status = NativeMethods.avt_generator_state_set(HandleFor("Generator.SetState"), state.HandleFor("Generator.SetState"));
        GC.KeepAlive(state);
        GC.KeepAlive(this);
        NativeMethods.Check(status, "Generator.SetState");
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        var handle = Interlocked.Exchange(ref _handle, IntPtr.Zero);
        if (handle != IntPtr.Zero)
            NativeMethods.avt_generator_free(handle);
    }
}
