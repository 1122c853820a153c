namespace AvDsl.Runtime.Torch;

/// <summary>
/// Frees the tensors created while it is open (on this thread) when it is disposed — one scope per training
/// step keeps memory flat without waiting for the garbage collector. Scopes nest; a tensor belongs to the
/// innermost one. Keep a result beyond the scope with <see cref="Tensor.MoveToOuterScope"/>. Parameters and
/// buffers never join a scope; their module owns them.
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? t_current;

    private readonly TensorScope? _outer;
    private readonly int _threadId = Environment.CurrentManagedThreadId;
    private readonly List<Tensor?> _tensors = [];
    private bool _disposed;

    public TensorScope()
    {
        _outer = t_current;
        t_current = this;
    }

    /// <summary>The innermost open scope on this thread, if any.</summary>
    public static TensorScope? Current => t_current;

    /// <summary>Tensors this scope will free.</summary>
    public int Count => _tensors.Count(t => t is not null);

    /// <summary>Moves <paramref name="tensor"/> to the enclosing scope (or to no scope: the caller then owns it).</summary>
    public Tensor MoveToOuter(Tensor tensor)
    {
        if (!ReferenceEquals(tensor.Scope, this))
            throw new InvalidOperationException($"{tensor.Label} does not belong to this scope.");
        Detach(tensor);
        _outer?.Register(tensor);
        return tensor;
    }

    internal void Register(Tensor tensor)
    {
        tensor.Scope = this;
        tensor.ScopeSlot = _tensors.Count;
        _tensors.Add(tensor);
    }

    internal void Detach(Tensor tensor)
    {
        _tensors[tensor.ScopeSlot] = null;
        tensor.Scope = null;
        tensor.ScopeSlot = -1;
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        if (Environment.CurrentManagedThreadId != _threadId)
            throw new InvalidOperationException("A TensorScope must be disposed on the thread that opened it.");
        if (!ReferenceEquals(t_current, this))
            throw new InvalidOperationException("TensorScopes must be disposed innermost first.");
        _disposed = true;
        t_current = _outer;
        foreach (var tensor in _tensors)
        {
            if (tensor is null) continue;
            tensor.Scope = null;
            tensor.ScopeSlot = -1;
            tensor.DisposeFromScope();
        }
        _tensors.Clear();
    }
}
