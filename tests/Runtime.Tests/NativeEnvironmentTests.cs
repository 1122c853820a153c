using System.Runtime.InteropServices;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>The C-environment defaults the runtime sets before libtorch, libgomp and OpenBLAS load (ThreadSettings).</summary>
public sealed class NativeEnvironmentTests
{
    [Theory]
    [InlineData("OMP_WAIT_POLICY", "PASSIVE")]
    [InlineData("OPENBLAS_THREAD_TIMEOUT", "16")]
    public void Native_libraries_see_the_runtime_default_unless_the_user_chose_a_value(string name, string runtimeDefault)
    {
        if (!OperatingSystem.IsLinux()) return;
        _ = T.Version;   // loads the shim, and with it libtorch
        // .NET's Environment is a copy taken at start-up, so it shows only what the user set; libc's getenv shows what native code reads.
        var expected = Environment.GetEnvironmentVariable(name) ?? runtimeDefault;
        Assert.Equal(expected, Marshal.PtrToStringUTF8(getenv(name)));
    }

    [DllImport("libc.so.6")]
    private static extern IntPtr getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
