namespace AvDsl.Runtime.Torch;

/// <summary>Device kinds; the values are libtorch's <c>c10::DeviceType</c> codes.</summary>
public enum DeviceType
{
    Cpu = 0,
    Cuda = 1,
}
