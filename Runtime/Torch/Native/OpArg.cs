namespace AvDsl.Runtime.Torch;

/// <summary>
/// One argument of a boxed operator call, built by implicit conversion from the C# value
/// (<c>Aten.Add.Call(x, y)</c>). Passing <c>null</c> (or <see cref="None"/>) means None / the schema default.
/// </summary>
internal readonly struct OpArg
{
    internal readonly AvtTag Tag;
    internal readonly long Int;
    internal readonly double Double;
    internal readonly object? Reference;
    internal readonly int Count; // the device index of a Device argument

    private OpArg(AvtTag tag, long i = 0, double d = 0, object? reference = null, int count = 0)
    {
        Tag = tag;
        Int = i;
        Double = d;
        Reference = reference;
        Count = count;
    }

    internal static OpArg None => default;

    public static implicit operator OpArg(Tensor? tensor) => tensor is null ? default : new(AvtTag.Tensor, reference: tensor);
    public static implicit operator OpArg(long value) => new(AvtTag.Int, i: value);
    public static implicit operator OpArg(int value) => new(AvtTag.Int, i: value);
    public static implicit operator OpArg(double value) => new(AvtTag.Double, d: value);
    public static implicit operator OpArg(bool value) => new(AvtTag.Bool, i: value ? 1 : 0);
    public static implicit operator OpArg(long[]? values) => values is null ? default : new(AvtTag.IntList, reference: values);
    public static implicit operator OpArg(double[]? values) => values is null ? default : new(AvtTag.DoubleList, reference: values);
    public static implicit operator OpArg(Tensor?[]? tensors) => tensors is null ? default : new(AvtTag.TensorList, reference: tensors);
    public static implicit operator OpArg(string? text) => text is null ? default : new(AvtTag.String, reference: text);
    public static implicit operator OpArg(DType dtype) => new(AvtTag.ScalarType, i: (long)dtype);
    public static implicit operator OpArg(DType? dtype) => dtype is { } d ? new(AvtTag.ScalarType, i: (long)d) : default;
    public static implicit operator OpArg(Device device) => new(AvtTag.Device, i: (long)device.Type, count: device.Index);
    public static implicit operator OpArg(Device? device) => device is { } d ? (OpArg)d : default;
    public static implicit operator OpArg(Generator? generator) => generator is null ? default : new(AvtTag.Generator, reference: generator);

    /// <summary>How many int64 / pointer / byte slots this argument needs in the call's scratch space.</summary>
    internal (int Longs, int Pointers, int Bytes) ScratchNeeds() => Tag switch
    {
        AvtTag.IntList => (((long[])Reference!).Length, 0, 0),
        AvtTag.TensorList => (0, ((Tensor?[])Reference!).Length, 0),
        AvtTag.String => (0, 0, System.Text.Encoding.UTF8.GetByteCount((string)Reference!)),
        _ => (0, 0, 0),
    };
}
