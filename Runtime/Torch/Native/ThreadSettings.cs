using System.Runtime.InteropServices;

namespace AvDsl.Runtime.Torch;

/// <summary>
/// libtorch's intra-op thread count, set once at load: <c>AVDSL_THREADS</c> if given, else every core
/// (libtorch otherwise picks 1 on some machines, this one included).
/// </summary>
internal static class ThreadSettings
{
    /// <summary>
    /// Runs before libtorch (and with it libgomp) is loaded. libgomp's idle threads spin by default and
    /// starve OpenBLAS's own worker threads: measured on 2 cores, a tiny-MAE step took ~100 ms with spikes to
    /// 300 ms instead of ~30 ms, and large matmuls were no faster. So unless the user chose a policy,
    /// OMP_WAIT_POLICY=PASSIVE — set through libc, because libgomp reads the C environment, which
    /// Environment.SetEnvironmentVariable does not change on Unix.
    /// </summary>
    internal static unsafe void PrepareEnvironment()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null)
            return;
        if (!NativeLibrary.TryLoad("libc.so.6", out var libc) || !NativeLibrary.TryGetExport(libc, "setenv", out var setenv))
            return;
        fixed (byte* name = "OMP_WAIT_POLICY\0"u8)
        fixed (byte* value = "PASSIVE\0"u8)
            ((delegate* unmanaged<byte*, byte*, int, int>)setenv)(name, value, 0);
    }

    internal static void ApplyDefault()
    {
        var count = Environment.ProcessorCount;
        var setting = Environment.GetEnvironmentVariable("AVDSL_THREADS");
        if (!string.IsNullOrWhiteSpace(setting))
        {
            if (!int.TryParse(setting, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out count) || count < 1)
                throw new InvalidOperationException($"AVDSL_THREADS must be a positive integer, got '{setting}'.");
        }
        NativeMethods.Check(NativeMethods.avt_threads_set(count), "Torch.SetNumThreads");
    }
}
