using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Tests;

internal static class BoolTensorExtensions
{
    public static bool All(this Tensor mask) => mask.To(DType.Int64).Sum().Item<long>() == mask.NumElements;
}
