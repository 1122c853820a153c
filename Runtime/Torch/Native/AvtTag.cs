namespace AvDsl.Runtime.Torch;

/// <summary>Tags of <see cref="AvtValue"/>; mirrors <c>AvtTag</c> in native/include/avdsl_native.h.</summary>
internal enum AvtTag : int
{
    None = 0,
    Tensor = 1,
    Int = 2,
    Double = 3,
    Bool = 4,
    IntList = 5,
    DoubleList = 6,
    TensorList = 7,
    String = 8,
    ScalarType = 9,
    Device = 10,
    Generator = 11,
}
