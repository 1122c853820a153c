using System.Runtime.InteropServices;
using System.Text;

namespace AvDsl.Runtime.Torch;

/// <summary>
/// A libtorch tensor. Operations return new tensors that join the innermost open <see cref="TensorScope"/>
/// and are freed with it; dispose a tensor yourself to free it sooner. Disposing twice is harmless; using a
/// disposed tensor throws <see cref="ObjectDisposedException"/> naming it. The finalizer is only a safety net.
/// </summary>
public partial class Tensor : IDisposable
{
    private const int ShapeStackLimit = 16;
    private static long s_live;
    private static long s_nextId;

    private IntPtr _handle;
    private bool _freedByScope;

    internal TensorScope? Scope;
    internal int ScopeSlot = -1;

    /// <summary>Wraps a fresh native handle and registers it with the current scope.</summary>
    internal Tensor(IntPtr handle) : this(handle, joinScope: true) { }

    private protected Tensor(IntPtr handle, bool joinScope)
    {
        if (handle == IntPtr.Zero)
            throw new ArgumentException("null tensor handle", nameof(handle));
        _handle = handle;
        Id = Interlocked.Increment(ref s_nextId);
        Interlocked.Increment(ref s_live);
        if (joinScope)
            TensorScope.Current?.Register(this);
    }

    ~Tensor() => Release();

    /// <summary>
    /// For tensors that their owner keeps and disposes, never a scope (<c>Nn.Parameter</c>, <c>Nn.ModuleBuffer</c>):
    /// shares <paramref name="data"/>'s values, detached from any graph, as PyTorch's <c>nn.Parameter(data)</c> does.
    /// </summary>
    private protected Tensor(Tensor data) : this(Aten.Detach.CallRaw(data), joinScope: false) { }

    /// <summary>A copy of <paramref name="data"/> (little-endian <paramref name="dtype"/> elements), in no scope: what a file reader hands its caller.</summary>
    internal static Tensor OwnedFromBytes(ReadOnlySpan<byte> data, DType dtype, ReadOnlySpan<long> shape, string operation, string? name = null)
    {
        NativeMethods.EnsureLoaded();
        return Owned(FromBytesRaw(data, dtype, shape, operation), name);
    }

    /// <summary>Zeros shaped like <paramref name="like"/>, in no scope: state its creator owns (an optimizer's moments).</summary>
    internal static Tensor OwnedZerosLike(Tensor like, string? name = null) => Owned(Aten.ZerosLike.CallRaw(like), name);

    /// <summary>Wraps a native handle that its creator owns and disposes (it joins no scope).</summary>
    internal static Tensor Owned(IntPtr handle, string? name = null) => new(handle, joinScope: false) { Name = name };

    /// <summary>Native tensors currently held by live <see cref="Tensor"/> objects (all threads).</summary>
    public static long LiveCount => Interlocked.Read(ref s_live);

    /// <summary>A process-unique number, shown in messages.</summary>
    public long Id { get; }

    /// <summary>An optional name shown in messages (modules name their parameters after state-dict keys).</summary>
    public string? Name { get; set; }

    public bool IsDisposed => _handle == IntPtr.Zero;

    internal string Label => Name is null ? $"Tensor #{Id}" : $"Tensor #{Id} '{Name}'";

    internal IntPtr Handle => HandleFor(nameof(Tensor));

    internal IntPtr HandleFor(string operation)
    {
        var handle = _handle;
        if (handle == IntPtr.Zero)
        {
            var why = _freedByScope
                ? " It was freed when its TensorScope closed; call MoveToOuterScope() on it inside the scope to keep it."
                : "";
            throw new ObjectDisposedException(Label, $"{operation}: {Label} was used after it was disposed.{why}");
        }
        return handle;
    }

    public void Dispose()
    {
        if (Scope is { } scope)
            scope.Detach(this);
        Release();
        GC.SuppressFinalize(this);
    }

    internal void DisposeFromScope()
    {
        _freedByScope = true;
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        var handle = Interlocked.Exchange(ref _handle, IntPtr.Zero);
        if (handle == IntPtr.Zero)
            return;
        NativeMethods.avt_tensor_free(handle);
        Interlocked.Decrement(ref s_live);
    }

    /// <summary>
    /// Takes this tensor out of its <see cref="TensorScope"/> into the enclosing one (or into no scope, where the
    /// caller owns it and should dispose it). Returns the tensor.
    /// </summary>
    public Tensor MoveToOuterScope()
    {
        Scope?.MoveToOuter(this);
        return this;
    }

    /// <summary>
    /// PyTorch's <c>tensor.data = source</c>: this object now refers to <paramref name="source"/>'s data (how
    /// <c>Module.To</c> converts parameters in place). <paramref name="source"/> stays its owner's to dispose.
    /// </summary>
    internal void SetData(Tensor source)
    {
        NativeMethods.Check(NativeMethods.avt_tensor_assign(HandleFor("Tensor.SetData"), source.HandleFor("Tensor.SetData")), "Tensor.SetData");
        GC.KeepAlive(source);
    }

    /// <summary>Makes this object refer to <paramref name="source"/>'s data (used to convert parameters in place).</summary>
    internal void ReplaceWith(IntPtr source)
    {
        try
        {
            NativeMethods.Check(NativeMethods.avt_tensor_assign(HandleFor("Tensor.ReplaceWith"), source), "Tensor.ReplaceWith");
        }
        finally
        {
            NativeMethods.avt_tensor_free(source);
        }
    }

    // ---- metadata -------------------------------------------------------------------------------------

    private unsafe AvtTensorMeta Meta(string operation)
    {
        NativeMethods.Check(NativeMethods.avt_tensor_meta(HandleFor(operation), out var meta, null, 0), operation);
        GC.KeepAlive(this);
        return meta;
    }

    /// <summary>The sizes of every dimension, like PyTorch's <c>x.shape</c>.</summary>
    public unsafe long[] Shape
    {
        get
        {
            var shape = stackalloc long[ShapeStackLimit];
            NativeMethods.Check(NativeMethods.avt_tensor_meta(HandleFor("Tensor.Shape"), out var meta, shape, ShapeStackLimit), "Tensor.Shape");
            if (meta.Rank <= ShapeStackLimit)
            {
                GC.KeepAlive(this);
                return new ReadOnlySpan<long>(shape, meta.Rank).ToArray();
            }
            var large = new long[meta.Rank];
            fixed (long* p = large)
                NativeMethods.Check(NativeMethods.avt_tensor_meta(HandleFor("Tensor.Shape"), out meta, p, large.Length), "Tensor.Shape");
            GC.KeepAlive(this);
            return large;
        }
    }

    /// <summary>The size of one dimension (negative counts from the end).</summary>
    public long Size(int dim)
    {
        var shape = Shape;
        var d = dim < 0 ? dim + shape.Length : dim;
        if (d < 0 || d >= shape.Length)
            throw new ArgumentOutOfRangeException(nameof(dim), $"Tensor.Size: dimension {dim} is out of range for {Describe()}");
        return shape[d];
    }

    /// <summary>Number of dimensions.</summary>
    public int Dim => Meta("Tensor.Dim").Rank;

    /// <summary>Number of elements (PyTorch's <c>numel()</c>).</summary>
    public long NumElements => Meta("Tensor.NumElements").ElementCount;

    public DType DType => (DType)Meta("Tensor.DType").DType;

    public Device Device
    {
        get
        {
            var meta = Meta("Tensor.Device");
            return new Device((DeviceType)meta.DeviceType, meta.DeviceIndex);
        }
    }

    /// <summary>True when it is a leaf of the autograd graph (created by the user, not by an op).</summary>
    public bool IsLeaf => Meta("Tensor.IsLeaf").IsLeaf != 0;

    public bool RequiresGrad
    {
        get => Meta("Tensor.RequiresGrad").RequiresGrad != 0;
        set
        {
            NativeMethods.Check(NativeMethods.avt_requires_grad_set(HandleFor("Tensor.RequiresGrad"), value ? 1 : 0), "Tensor.RequiresGrad");
            GC.KeepAlive(this);
        }
    }

    /// <summary>"Float32[2, 3]" (plus the device when not the CPU).</summary>
    public string Describe()
    {
        if (IsDisposed)
            return $"{Label} (disposed)";
        var text = new StringBuilder();
        text.Append(DType).Append('[').Append(string.Join(", ", Shape)).Append(']');
        var device = Device;
        if (device.Type != DeviceType.Cpu)
            text.Append(" on ").Append(device);
        return text.ToString();
    }

    public override string ToString()
    {
        if (IsDisposed)
            return $"{Label} (disposed)";
        return $"Tensor({Describe()}{(RequiresGrad ? ", requires_grad" : "")}{(Name is null ? "" : $", '{Name}'")})";
    }

    // ---- autograd -------------------------------------------------------------------------------------

    /// <summary>Accumulates gradients of this tensor into the <see cref="Grad"/> of the leaves it depends on.</summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false)
    {
        var status = NativeMethods.avt_backward(HandleFor("Tensor.Backward"), gradient?.HandleFor("Tensor.Backward") ?? IntPtr.Zero, retainGraph ? 1 : 0);
        GC.KeepAlive(gradient);
        GC.KeepAlive(this);
        NativeMethods.Check(status, "Tensor.Backward");
    }

    /// <summary>The accumulated gradient (a new tensor in the current scope), or null if there is none.</summary>
    public Tensor? Grad
    {
        get
        {
            NativeMethods.Check(NativeMethods.avt_grad_get(HandleFor("Tensor.Grad"), out var grad), "Tensor.Grad");
            GC.KeepAlive(this);
            return grad == IntPtr.Zero ? null : new Tensor(grad);
        }
        set
        {
            var status = NativeMethods.avt_grad_set(HandleFor("Tensor.Grad"), value?.HandleFor("Tensor.Grad") ?? IntPtr.Zero);
            GC.KeepAlive(value);
            GC.KeepAlive(this);
            NativeMethods.Check(status, "Tensor.Grad");
        }
    }

    /// <summary>Drops the gradient (PyTorch's <c>zero_grad(set_to_none=True)</c>) or zeroes it in place.</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        NativeMethods.Check(NativeMethods.avt_grad_zero(HandleFor("Tensor.ZeroGrad"), setToNone ? 1 : 0), "Tensor.ZeroGrad");
        GC.KeepAlive(this);
    }

    /// <summary>A tensor sharing this one's data, cut from the autograd graph.</summary>
    public Tensor Detach() => Aten.Detach.Call(this);

    /// <summary>A new tensor object for the same data and graph node (<c>aten::alias</c>): what a module returns for
    /// "unchanged", so that callers may dispose its output without freeing its input.</summary>
    public Tensor Alias() => Aten.Alias.Call(this);

    // ---- data -----------------------------------------------------------------------------------------

    /// <summary>The single value of a one-element tensor, converted to <typeparamref name="T"/>.</summary>
    public T Item<T>() where T : unmanaged
    {
        var count = NumElements;
        if (count != 1)
            throw new InvalidOperationException($"Tensor.Item: {Describe()} has {count} elements; Item needs exactly one.");
        return ToArray<T>()[0];
    }

    /// <summary>All elements in row-major order, converted to <typeparamref name="T"/> if the dtype differs.</summary>
    public unsafe T[] ToArray<T>() where T : unmanaged
    {
        var target = DTypes.Of<T>();
        var source = this;
        IntPtr converted = IntPtr.Zero;
        try
        {
            if (DType != target)
                converted = Aten.ToDType.CallRaw(this, target);
            var handle = converted != IntPtr.Zero ? converted : source.HandleFor("Tensor.ToArray");
            NativeMethods.Check(NativeMethods.avt_tensor_meta(handle, out var meta, null, 0), "Tensor.ToArray");
            var result = new T[meta.ElementCount];
            fixed (T* p = result)
                NativeMethods.Check(NativeMethods.avt_tensor_copy_to(handle, p, meta.ElementCount * sizeof(T)), "Tensor.ToArray");
            return result;
        }
        finally
        {
            if (converted != IntPtr.Zero)
                NativeMethods.avt_tensor_free(converted);
            GC.KeepAlive(this);
        }
    }

    /// <summary>The raw bytes of the elements in row-major order (the tensor's own dtype).</summary>
    public unsafe void CopyBytesTo(Span<byte> destination)
    {
        fixed (byte* p = destination)
            NativeMethods.Check(NativeMethods.avt_tensor_copy_to(HandleFor("Tensor.CopyBytesTo"), p, destination.Length), "Tensor.CopyBytesTo");
        GC.KeepAlive(this);
    }

    /// <summary>Size in bytes of the elements.</summary>
    public long ByteCount
    {
        get
        {
            var meta = Meta("Tensor.ByteCount");
            return meta.ElementCount * ((DType)meta.DType).ElementSize();
        }
    }

    internal static unsafe IntPtr FromBytesRaw(ReadOnlySpan<byte> data, DType dtype, ReadOnlySpan<long> shape, string operation)
    {
        IntPtr handle;
        fixed (byte* d = data)
        fixed (long* s = shape)
            NativeMethods.Check(NativeMethods.avt_tensor_from_buffer(d, data.Length, (int)dtype, s, shape.Length, out handle), operation);
        return handle;
    }

    internal static IntPtr FromSpanRaw<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, string operation) where T : unmanaged
    {
        NativeMethods.EnsureLoaded();
        return FromBytesRaw(MemoryMarshal.AsBytes(data), DTypes.Of<T>(), shape, operation);
    }
}
