using System.Runtime.InteropServices;

namespace AvDsl.Runtime.Torch;

/// <summary>Mirrors <c>AvtTensorMeta</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct AvtTensorMeta
{
    public int DType;
    public int DeviceType;
    public int DeviceIndex;
    public int Rank;
    public int RequiresGrad;
    public int IsLeaf;
    public long ElementCount;
}
