using System.Runtime.InteropServices;
using System.Text;

namespace AvDsl.Runtime.Torch;

/// <summary>
/// A libtorch operator called through the boxed dispatcher, e.g. <c>new Op("aten::add", "Tensor")</c>. The
/// schema lookup happens once, on first use; arguments are passed positionally in schema order and missing
/// trailing arguments take the schema's defaults. See <see cref="Aten"/> for the operators the runtime uses.
/// </summary>
internal sealed unsafe class Op(string name, string overload = "")
{
    private const int StackScratch = 64;
    private IntPtr _handle;

    /// <summary>Observes this thread's operator calls (null: none, the usual case).</summary>
    [ThreadStatic] internal static IOpObserver? Observer;

    internal string Name { get; } = name;
    internal string Overload { get; } = overload;
    internal string QualifiedName => Overload.Length == 0 ? Name : $"{Name}.{Overload}";

    internal IntPtr Handle
    {
        get
        {
            var handle = Volatile.Read(ref _handle);
            if (handle != IntPtr.Zero)
                return handle;
            NativeMethods.EnsureLoaded();
            NativeMethods.Check(NativeMethods.avt_op_find(Name, Overload, out handle), QualifiedName);
            Volatile.Write(ref _handle, handle);
            return handle;
        }
    }

    /// <summary>The operator's schema as libtorch prints it.</summary>
    internal string Schema()
    {
        NativeMethods.Check(NativeMethods.avt_op_schema(Handle, null, 0, out var length), QualifiedName);
        var buffer = new byte[length + 1];
        fixed (byte* p = buffer)
            NativeMethods.Check(NativeMethods.avt_op_schema(Handle, p, buffer.Length, out length), QualifiedName);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    /// <summary>Calls an operator that returns one tensor; the result joins the current <see cref="TensorScope"/>.</summary>
    internal Tensor Call(params ReadOnlySpan<OpArg> args) => new(CallRaw(args));

    /// <summary>Calls an operator returning one tensor and hands back the raw handle (no scope registration).</summary>
    internal IntPtr CallRaw(params ReadOnlySpan<OpArg> args)
    {
        Span<AvtValue> outs = stackalloc AvtValue[1];
        var n = Invoke(args, outs);
        if (n != 1 || outs[0].Tag != AvtTag.Tensor)
        {
            Free(outs[..n]);
            throw new TorchException(QualifiedName, $"{QualifiedName} returned {n} values where one tensor was expected");
        }
        return outs[0].Pointer;
    }

    /// <summary>Calls an operator returning a tuple and keeps only its first tensor (the rest are freed).</summary>
    internal Tensor CallFirst(int maxResults, params ReadOnlySpan<OpArg> args)
    {
        Span<AvtValue> outs = stackalloc AvtValue[maxResults];
        var n = Invoke(args, outs);
        if (n == 0 || outs[0].Tag != AvtTag.Tensor)
        {
            Free(outs[..n]);
            throw new TorchException(QualifiedName, $"{QualifiedName} returned no tensor first");
        }
        Free(outs[1..n]);
        return new Tensor(outs[0].Pointer);
    }

    /// <summary>Resolves the operator now; false (and no exception) when this libtorch does not register it.</summary>
    internal bool TryResolve()
    {
        if (Volatile.Read(ref _handle) != IntPtr.Zero)
            return true;
        NativeMethods.EnsureLoaded();
        if (NativeMethods.avt_op_find(Name, Overload, out var handle) != 0)
            return false;
        Volatile.Write(ref _handle, handle);
        return true;
    }

    /// <summary>Calls an in-place operator (<c>mul_</c>, <c>copy_</c>...) and drops the alias it returns.</summary>
    internal void CallInPlace(params ReadOnlySpan<OpArg> args)
    {
        Span<AvtValue> outs = stackalloc AvtValue[4];
        var n = Invoke(args, outs);
        Free(outs[..n]);
    }

    /// <summary>Calls an operator returning several tensors (a tuple or a Tensor[]).</summary>
    internal Tensor[] CallMany(int maxResults, params ReadOnlySpan<OpArg> args)
    {
        var outs = maxResults <= StackScratch ? stackalloc AvtValue[maxResults] : new AvtValue[maxResults];
        var n = Invoke(args, outs);
        var results = new Tensor[n];
        for (var i = 0; i < n; i++)
        {
            if (outs[i].Tag != AvtTag.Tensor)
            {
                for (var j = 0; j < i; j++) results[j].Dispose();
                Free(outs[i..n]);
                throw new TorchException(QualifiedName, $"{QualifiedName} returned a {outs[i].Tag} at position {i} where a tensor was expected");
            }
            results[i] = new Tensor(outs[i].Pointer);
        }
        return results;
    }

    private static void Free(Span<AvtValue> outs)
    {
        foreach (ref var value in outs)
            if (value.Tag == AvtTag.Tensor)
                NativeMethods.avt_tensor_free(value.Pointer);
    }

    private int Invoke(ReadOnlySpan<OpArg> args, Span<AvtValue> outs)
    {
        var handle = Handle;
        int longs = 0, pointers = 0, bytes = 0;
        foreach (ref readonly var arg in args)
        {
            var (l, p, b) = arg.ScratchNeeds();
            longs += l;
            pointers += p;
            bytes += b;
        }
        // Lists and strings are copied into scratch space that outlives the native call; shapes and dims
        // are short, so the stack nearly always suffices.
        Span<AvtValue> values = args.Length <= 16 ? stackalloc AvtValue[args.Length] : new AvtValue[args.Length];
        Span<long> longScratch = longs <= StackScratch ? stackalloc long[StackScratch] : new long[longs];
        Span<IntPtr> pointerScratch = pointers <= StackScratch ? stackalloc IntPtr[StackScratch] : new IntPtr[pointers];
        Span<byte> byteScratch = bytes <= 256 ? stackalloc byte[256] : new byte[bytes];
        fixed (AvtValue* valuesPtr = values)
        fixed (long* longPtr = longScratch)
        fixed (IntPtr* pointerPtr = pointerScratch)
        fixed (byte* bytePtr = byteScratch)
        fixed (AvtValue* outsPtr = outs)
        {
            int li = 0, pi = 0, bi = 0;
            for (var i = 0; i < args.Length; i++)
            {
                ref readonly var arg = ref args[i];
                ref var value = ref values[i];
                value.Tag = arg.Tag;
                switch (arg.Tag)
                {
                    case AvtTag.None:
                        break;
                    case AvtTag.Tensor:
                        value.Pointer = ((Tensor)arg.Reference!).HandleFor(QualifiedName);
                        break;
                    case AvtTag.Int or AvtTag.Bool or AvtTag.ScalarType:
                        value.Int = arg.Int;
                        break;
                    case AvtTag.Generator:
                        value.Pointer = ((Generator)arg.Reference!).HandleFor(QualifiedName);
                        break;
                    case AvtTag.Device:
                        value.Int = arg.Int;
                        value.Count = arg.Count;
                        break;
                    case AvtTag.Double:
                        value.Double = arg.Double;
                        break;
                    case AvtTag.IntList:
                    {
                        var list = (long[])arg.Reference!;
                        list.CopyTo(longScratch[li..]);
                        value.Pointer = (IntPtr)(longPtr + li);
                        value.Count = list.Length;
                        li += list.Length;
                        break;
                    }
                    case AvtTag.DoubleList:
                        // Pinned by the GC handle below for the duration of the call.
                        value.Count = ((double[])arg.Reference!).Length;
                        break;
                    case AvtTag.TensorList:
                    {
                        var list = (Tensor?[])arg.Reference!;
                        for (var j = 0; j < list.Length; j++)
                            pointerScratch[pi + j] = list[j]?.HandleFor(QualifiedName) ?? IntPtr.Zero;
                        value.Pointer = (IntPtr)(pointerPtr + pi);
                        value.Count = list.Length;
                        pi += list.Length;
                        break;
                    }
                    case AvtTag.String:
                    {
                        var written = Encoding.UTF8.GetBytes((string)arg.Reference!, byteScratch[bi..]);
                        value.Pointer = (IntPtr)(bytePtr + bi);
                        value.Count = written;
                        bi += written;
                        break;
                    }
                }
            }

            var pins = PinDoubleLists(args, values);
            try
            {
                var status = NativeMethods.avt_op_call(handle, valuesPtr, args.Length, outsPtr, outs.Length, out var produced);
                NativeMethods.Check(status, QualifiedName);
                Observer?.Observed(this, args, outs[..produced]);
                return produced;
            }
            finally
            {
                foreach (var pin in pins) pin.Free();
                // The native call used the tensors' handles; keep their owners (and finalizers) at bay until now.
                foreach (ref readonly var arg in args) GC.KeepAlive(arg.Reference);
            }
        }
    }

    private static GCHandle[] PinDoubleLists(ReadOnlySpan<OpArg> args, Span<AvtValue> values)
    {
        var count = 0;
        foreach (ref readonly var arg in args)
            if (arg.Tag == AvtTag.DoubleList) count++;
        if (count == 0)
            return [];
        var pins = new GCHandle[count];
        var k = 0;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].Tag != AvtTag.DoubleList) continue;
            pins[k] = GCHandle.Alloc(args[i].Reference!, GCHandleType.Pinned);
            values[i].Pointer = pins[k].AddrOfPinnedObject();
            k++;
        }
        return pins;
    }
}
