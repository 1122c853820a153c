using System.Runtime.InteropServices;

namespace AvDsl.Runtime.Torch;

/// <summary>
/// The exports of libavdsl_native (see native/include/avdsl_native.h). Every call returning int returns 0 on
/// success; <see cref="Check"/> turns anything else into a <see cref="TorchException"/>.
/// </summary>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "avdsl_native";

    static NativeMethods()
    {
        NativeLibraryResolver.Install();
        ThreadSettings.ApplyDefault();
    }

    /// <summary>Forces the static constructor: library resolution and thread initialisation.</summary>
    internal static void EnsureLoaded() { }

    internal static void Check(int status, string operation)
    {
        if (status != 0)
            throw new TorchException(operation, LastError());
    }

    internal static string LastError() => Marshal.PtrToStringUTF8(avt_last_error()) ?? "unknown error";

    [LibraryImport(Library)] internal static partial IntPtr avt_last_error();
    [LibraryImport(Library)] internal static partial IntPtr avt_version();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int avt_op_find(string name, string overload, out IntPtr op);
    [LibraryImport(Library)] internal static partial int avt_op_schema(IntPtr op, byte* buffer, int capacity, out int length);
    [LibraryImport(Library)] internal static partial int avt_op_call(IntPtr op, AvtValue* args, int nargs, AvtValue* outs, int maxOuts, out int nouts);

    [LibraryImport(Library)] internal static partial int avt_tensor_from_buffer(void* data, long nbytes, int dtype, long* shape, int ndim, out IntPtr tensor);
    [LibraryImport(Library)] internal static partial int avt_tensor_copy_to(IntPtr tensor, void* destination, long nbytes);
    [LibraryImport(Library)] internal static partial int avt_tensor_meta(IntPtr tensor, out AvtTensorMeta meta, long* shape, int maxDims);
    [LibraryImport(Library)] internal static partial void avt_tensor_free(IntPtr tensor);
    [LibraryImport(Library)] internal static partial int avt_tensor_assign(IntPtr target, IntPtr source);

    [LibraryImport(Library)] internal static partial int avt_backward(IntPtr tensor, IntPtr gradient, int retainGraph);
    [LibraryImport(Library)] internal static partial int avt_grad_get(IntPtr tensor, out IntPtr grad);
    [LibraryImport(Library)] internal static partial int avt_grad_set(IntPtr tensor, IntPtr grad);
    [LibraryImport(Library)] internal static partial int avt_grad_zero(IntPtr tensor, int setToNone);
    [LibraryImport(Library)] internal static partial int avt_requires_grad_set(IntPtr tensor, int requiresGrad);
    [LibraryImport(Library)] internal static partial int avt_grad_mode_set(int enabled, out int previous);

    [LibraryImport(Library)] internal static partial int avt_manual_seed(ulong seed);
    [LibraryImport(Library)] internal static partial int avt_rng_state_get(out IntPtr state);
    [LibraryImport(Library)] internal static partial int avt_rng_state_set(IntPtr state);

    [LibraryImport(Library)] internal static partial int avt_threads_set(int count);
    [LibraryImport(Library)] internal static partial int avt_threads_get(out int count);
    [LibraryImport(Library)] internal static partial int avt_cuda_device_count(out int count);

    [LibraryImport(Library)]
    internal static partial int avt_adamw_step(IntPtr* parameters, IntPtr* expAvg, IntPtr* expAvgSq, double* weightDecay, double* lrScale, int count,
        double lr, double beta1, double beta2, double eps, long step);
    [LibraryImport(Library)] internal static partial int avt_ema_step(IntPtr* targets, IntPtr* sources, int count, double decay);

    [LibraryImport(Library)]
    internal static partial int avt_autograd_grad(IntPtr* outputs, int noutputs, IntPtr* gradOutputs, IntPtr* inputs, int ninputs,
        int retainGraph, int createGraph, int allowUnused, IntPtr* results);

    [LibraryImport(Library)] internal static partial int avt_generator_new(int deviceType, ulong seed, out IntPtr generator);
    [LibraryImport(Library)] internal static partial void avt_generator_free(IntPtr generator);

    // c10d (Distributed/)
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int avt_store_new(string host, int port, int isServer, int worldSize, long timeoutMs, out IntPtr store);
    [LibraryImport(Library)] internal static partial void avt_store_free(IntPtr store);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int avt_store_set(IntPtr store, string key, byte* value, long length);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int avt_store_get(IntPtr store, string key, byte* buffer, long capacity, out long length);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int avt_store_add(IntPtr store, string key, long delta, out long value);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int avt_process_group_gloo_new(IntPtr store, int rank, int size, string hostname, int threads, long timeoutMs, out IntPtr group);
    [LibraryImport(Library)] internal static partial void avt_process_group_free(IntPtr group);
    [LibraryImport(Library)] internal static partial int avt_process_group_allreduce_sum(IntPtr group, IntPtr* tensors, int count);
    [LibraryImport(Library)] internal static partial int avt_process_group_broadcast(IntPtr group, IntPtr* tensors, int count, int root);
    [LibraryImport(Library)] internal static partial int avt_process_group_barrier(IntPtr group);
    [LibraryImport(Library)] internal static partial int avt_reducer_new(IntPtr group, IntPtr* parameters, int count, int* bucketIndices, int* bucketSizes, int bucketCount, out IntPtr reducer);
    [LibraryImport(Library)] internal static partial void avt_reducer_free(IntPtr reducer);
    [LibraryImport(Library)] internal static partial int avt_reducer_prepare(IntPtr reducer);
    [LibraryImport(Library)] internal static partial int avt_reducer_finalize(IntPtr reducer, out int overlapped);
    [LibraryImport(Library)] internal static partial int avt_generator_seed(IntPtr generator, ulong seed);
    [LibraryImport(Library)] internal static partial int avt_generator_state_get(IntPtr generator, out IntPtr state);
    [LibraryImport(Library)] internal static partial int avt_generator_state_set(IntPtr generator, IntPtr state);

    [LibraryImport(Library)] internal static partial int avt_autocast_enter(int deviceType, int dtype, out int previousEnabled, out int previousDtype);
    [LibraryImport(Library)] internal static partial int avt_autocast_exit(int deviceType, int previousEnabled, int previousDtype);
}
