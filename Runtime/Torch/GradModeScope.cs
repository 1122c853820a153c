namespace AvDsl.Runtime.Torch;

/// <summary>
/// Sets libtorch's (thread-local) grad mode and restores the previous mode when disposed:
/// <c>using (Torch.NoGrad()) { ... }</c>, PyTorch's <c>with torch.no_grad():</c>.
/// </summary>
public sealed class GradModeScope : IDisposable
{
    private readonly bool _previous;
    private bool _disposed;

    internal GradModeScope(bool enabled)
    {
        NativeMethods.EnsureLoaded();
        NativeMethods.Check(NativeMethods.avt_grad_mode_set(enabled ? 1 : 0, out var previous), enabled ? "Torch.EnableGrad" : "Torch.NoGrad");
        _previous = previous != 0;
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        NativeMethods.Check(NativeMethods.avt_grad_mode_set(_previous ? 1 : 0, out _), "Torch.NoGrad (restore)");
    }
}
