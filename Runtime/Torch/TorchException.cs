namespace AvDsl.Runtime.Torch;

/// <summary>
/// A libtorch call failed. <see cref="Operation"/> names the op; the message carries the argument shapes
/// and libtorch's reason (without its C++ backtrace). The process and the library remain usable.
/// </summary>
public sealed class TorchException : Exception
{
    public TorchException(string operation, string message) : base(message) => Operation = operation;

    public string Operation { get; }
}
