using System.Runtime.InteropServices;

namespace AvDsl.Runtime.Torch;

/// <summary>
/// libtorch's intra-op thread count, set once at load: <c>AVDSL_THREADS</c> if given, else every core
/// (libtorch otherwise picks 1 on some machines, this one included) shared among the data-parallel processes a launcher
/// started on this machine (<c>LOCAL_WORLD_SIZE</c>), so that N ranks do not each spin a thread per core.
/// </summary>
internal static class ThreadSettings
{
    /// <summary>
    /// Runs before libtorch (and with it libgomp and OpenBLAS) is loaded; both read the C environment, which
    /// Environment.SetEnvironmentVariable does not change on Unix, so the defaults go in through libc's setenv
    /// and only where the user has not chosen a value.
    /// <list type="bullet">
    /// <item>OMP_WAIT_POLICY=PASSIVE: libgomp's idle threads spin by default and starve OpenBLAS's own worker
    /// threads: measured on 2 cores, a tiny-MAE step took ~100 ms with spikes to 300 ms instead of ~30 ms.</item>
    /// <item>OPENBLAS_THREAD_TIMEOUT=16 (log2 of cycles): after a matmul, OpenBLAS's workers
    /// spin on sched_yield for 2^28 cycles (~0.1 s) before sleeping, competing with libgomp's threads for the
    /// cores through every elementwise op in between; 2^16 cycles (~20 µs) keeps them warm across back-to-back
    /// matmuls. Measured on the ViT benchmark step (PyTorch eager, same libraries): kernel time per run
    /// ~3.0 s → ~1.1 s, step time 3–5% less.</item>
    /// </list>
    /// </summary>
    internal static unsafe void PrepareEnvironment()
    {
        if (!OperatingSystem.IsLinux())
            return;
        if (!NativeLibrary.TryLoad("libc.so.6", out var libc) || !NativeLibrary.TryGetExport(libc, "setenv", out var setenv))
            return;
        var set = (delegate* unmanaged<byte*, byte*, int, int>)setenv;
        fixed (byte* name = "OMP_WAIT_POLICY\0"u8)
        fixed (byte* value = "PASSIVE\0"u8)
            set(name, value, 0);
        fixed (byte* name = "OPENBLAS_THREAD_TIMEOUT\0"u8)
        fixed (byte* value = "16\0"u8)
            set(name, value, 0);
    }

    internal static void ApplyDefault()
    {
        var local = int.TryParse(Environment.GetEnvironmentVariable("LOCAL_WORLD_SIZE"), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var ranks) && ranks > 1 ? ranks : 1;
        var count = Math.Max(1, Environment.ProcessorCount / local);
        var setting = Environment.GetEnvironmentVariable("AVDSL_THREADS");
        if (!string.IsNullOrWhiteSpace(setting))
        {
            if (!int.TryParse(setting, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out count) || count < 1)
                throw new InvalidOperationException($"AVDSL_THREADS must be a positive integer, got '{setting}'.");
        }
        NativeMethods.Check(NativeMethods.avt_threads_set(count), "Torch.SetNumThreads");
    }
}
