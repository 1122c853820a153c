using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

public sealed class GradCheckSelfTest
{
    [Fact]
    public void GradCheck_rejects_a_wrong_gradient()
    {
        using var scope = new TensorScope();
        var x = T.Randn([3], DType.Float64);
        x.RequiresGrad = true;
        // d(x·x)/dx = 2x, but detaching one factor makes autograd report x.
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => GradCheck.Check(() => x.Detach() * x, [x]));
    }
}
