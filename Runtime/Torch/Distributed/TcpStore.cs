using System.Net;
using System.Net.Sockets;
using System.Text;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Torch.Distributed;

/// <summary>
/// c10d's TCPStore: the key-value store ranks meet through (PyTorch's <c>torch.distributed.TCPStore</c>). Rank 0 serves it
/// on <c>MASTER_ADDR:MASTER_PORT</c>, every rank is a client; <see cref="Get"/> waits for a key up to the timeout.
/// </summary>
public sealed unsafe class TcpStore : IDisposable
{
    private IntPtr _handle;

    /// <param name="isServer">This process serves the store (rank 0, unless a launcher's agent serves it).</param>
    /// <param name="worldSize">How many processes will connect.</param>
    /// <param name="timeout">How long connecting and <see cref="Get"/> wait.</param>
    public TcpStore(string host, int port, bool isServer, int worldSize, TimeSpan timeout)
    {
        NativeMethods.EnsureLoaded();
        NativeMethods.Check(NativeMethods.avt_store_new(host, port, isServer ? 1 : 0, worldSize, (long)timeout.TotalMilliseconds, out _handle),
            "TcpStore");
        Host = host;
        Port = port;
    }

    ~TcpStore() => Release();

    /// <summary>A port on loopback nobody listens on now, for a store on this machine (<c>--nproc</c>, tests).</summary>
    public static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public string Host { get; }
    public int Port { get; }

    internal IntPtr HandleFor(string operation) =>
        _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(TcpStore), $"{operation}: the store was used after it was disposed.");

    public void Set(string key, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        fixed (byte* p = bytes)
            NativeMethods.Check(NativeMethods.avt_store_set(HandleFor("TcpStore.Set"), key, p, bytes.Length), "TcpStore.Set");
        GC.KeepAlive(this);
    }

    /// <summary>The key's value, waiting for it to be set up to the store's timeout.</summary>
    public string Get(string key)
    {
        NativeMethods.Check(NativeMethods.avt_store_get(HandleFor("TcpStore.Get"), key, null, 0, out var length), "TcpStore.Get");
        var bytes = new byte[length];
        fixed (byte* p = bytes)
            NativeMethods.Check(NativeMethods.avt_store_get(HandleFor("TcpStore.Get"), key, p, length, out _), "TcpStore.Get");
        GC.KeepAlive(this);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Adds to a counter key (0 if unset) and returns its new value: a store-backed barrier counts arrivals this way.</summary>
    public long Add(string key, long delta)
    {
        NativeMethods.Check(NativeMethods.avt_store_add(HandleFor("TcpStore.Add"), key, delta, out var value), "TcpStore.Add");
        GC.KeepAlive(this);
        return value;
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        var handle = Interlocked.Exchange(ref _handle, IntPtr.Zero);
        if (handle != IntPtr.Zero) NativeMethods.avt_store_free(handle);
    }
}
