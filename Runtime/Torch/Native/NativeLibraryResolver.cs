using System.Reflection;
using System.Runtime.InteropServices;

namespace AvDsl.Runtime.Torch;

/// <summary>
/// Finds libavdsl_native: next to AvDsl.Runtime.dll (where the build copies it), else at <c>AVDSL_NATIVE</c>
/// (a file or a directory). When <c>LIBTORCH_DIR</c> names a CUDA libtorch, libtorch_cuda is loaded first so
/// its kernels are registered with the dispatcher before any op is looked up.
/// </summary>
internal static class NativeLibraryResolver
{
    private const string FileName = "libavdsl_native.so";
    private static int s_installed;
    private static readonly Lock s_loadLock = new();
    private static IntPtr s_library;

    internal static void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 1)
            return;
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != NativeMethods.Library)
            return IntPtr.Zero;
        // Called once per imported function; load (and prepare the environment) only the first time.
        lock (s_loadLock)
        {
            if (s_library == IntPtr.Zero)
                s_library = Load(assembly);
            return s_library;
        }
    }

    private static IntPtr Load(Assembly assembly)
    {
        ThreadSettings.PrepareEnvironment();
        MallocSettings.KeepFreedMemory();
        LoadCudaIfPresent();
        var tried = new List<string>();
        foreach (var candidate in Candidates(assembly))
        {
            tried.Add(candidate);
            if (File.Exists(candidate))
                return NativeLibrary.Load(candidate);
        }
        throw new DllNotFoundException(
            $"{FileName} was not found (looked in: {string.Join(", ", tried)}). It is built by Runtime.csproj with CMake; " +
            "build the Runtime project, or set AVDSL_NATIVE to the library's path.");
    }

    private static IEnumerable<string> Candidates(Assembly assembly)
    {
        var assemblyDirectory = Path.GetDirectoryName(assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDirectory))
            yield return Path.Combine(assemblyDirectory, FileName);
        yield return Path.Combine(AppContext.BaseDirectory, FileName);
        var overridePath = Environment.GetEnvironmentVariable("AVDSL_NATIVE");
        if (!string.IsNullOrEmpty(overridePath))
            yield return Directory.Exists(overridePath) ? Path.Combine(overridePath, FileName) : overridePath;
    }

    private static void LoadCudaIfPresent()
    {
        var libtorch = Environment.GetEnvironmentVariable("LIBTORCH_DIR");
        if (string.IsNullOrEmpty(libtorch))
            return;
        var cuda = Path.Combine(libtorch, "lib", "libtorch_cuda.so");
        if (File.Exists(cuda))
            NativeLibrary.Load(cuda);
    }
}
