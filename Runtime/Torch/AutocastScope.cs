namespace AvDsl.Runtime.Torch;

/// <summary>
/// PyTorch's <c>with torch.autocast(device_type, dtype):</c> for this thread: matmuls, linear layers and
/// convolutions inside run in <see cref="DType"/> (bf16) where autocast's op lists say so; the previous state
/// returns on dispose. CUDA is the training path (built, not run here: no GPU); CPU autocast works everywhere.
/// </summary>
public sealed class AutocastScope : IDisposable
{
    private readonly DeviceType _device;
    private readonly int _previousEnabled;
    private readonly int _previousDtype;
    private bool _disposed;

    public AutocastScope(DeviceType device, DType dtype = DType.BFloat16)
    {
        NativeMethods.EnsureLoaded();
        if (device == DeviceType.Cuda && !Torch.IsCudaAvailable)
            throw new InvalidOperationException("Autocast on cuda was asked for, but this libtorch or machine has no CUDA device.");
        NativeMethods.Check(NativeMethods.avt_autocast_enter((int)device, (int)dtype, out _previousEnabled, out _previousDtype), $"Torch.Autocast({device}, {dtype})");
        _device = device;
        DType = dtype;
    }

    public DType DType { get; }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        NativeMethods.Check(NativeMethods.avt_autocast_exit((int)_device, _previousEnabled, _previousDtype), "Torch.Autocast (restore)");
    }
}
