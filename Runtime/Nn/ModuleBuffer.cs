using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// Non-trainable module state that belongs in the state dict (PyTorch's <c>register_buffer</c>): fixed
/// position embeddings, running statistics. Owned by its module, never freed by a <see cref="TensorScope"/>.
/// </summary>
public sealed class ModuleBuffer : Tensor
{
    /// <summary>Wraps <paramref name="data"/>'s values (shared, detached from any graph) as a buffer.</summary>
    public ModuleBuffer(Tensor data) : base(data) { }

    internal ModuleBuffer(IntPtr handle) : base(handle, joinScope: false) { }

    /// <summary>A buffer holding a copy of <paramref name="data"/> with <paramref name="shape"/>.</summary>
    public static ModuleBuffer FromArray<T>(T[] data, params long[] shape) where T : unmanaged
    {
        long count = 1;
        foreach (var size in shape) count *= size;
        if (count != data.Length)
            throw new ArgumentException($"ModuleBuffer.FromArray: {data.Length} values cannot fill shape [{string.Join(", ", shape)}].");
        return new ModuleBuffer(FromSpanRaw<T>(data, shape, "ModuleBuffer.FromArray"));
    }
}
