using System.Runtime.InteropServices;

namespace AvDsl.Runtime.Torch;

/// <summary>One boxed argument or result of a dispatcher call (16 bytes, blittable).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct AvtValue
{
    [FieldOffset(0)] public AvtTag Tag;
    [FieldOffset(4)] public int Count;
    [FieldOffset(8)] public long Int;
    [FieldOffset(8)] public double Double;
    [FieldOffset(8)] public IntPtr Pointer;
}
