using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using Xunit;
using F = AvDsl.Runtime.Torch.Functional;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>Bad calls to the newer ops fail as managed exceptions naming the op and the shapes; the library keeps working.</summary>
public sealed class NewOpErrorTests
{
    [Fact]
    public void Bad_calls_name_the_op_and_shapes_without_a_cpp_backtrace()
    {
        using var scope = new TensorScope();
        var topk = Assert.Throws<TorchException>(() => T.Randn(2, 3).Topk(5));
        Assert.Contains("aten::topk", topk.Message);
        Assert.Contains("Float32[2, 3]", topk.Message);

        var conv = Assert.Throws<TorchException>(() => F.Conv3d(T.Randn(1, 4, 2, 2, 2), T.Randn(2, 3, 1, 1, 1), groups: 2));
        Assert.Contains("aten::conv3d", conv.Message);
        Assert.Contains("Float32[1, 4, 2, 2, 2]", conv.Message);
        Assert.DoesNotContain("Exception raised from", conv.Message); // no C++ backtrace

        var ce = Assert.Throws<TorchException>(() => F.CrossEntropy(T.Randn(2, 3), T.FromArray(new long[] { 0, 1, 2 })));
        Assert.Contains("aten::cross_entropy_loss", ce.Message);

        var generator = new Generator(1);
        generator.Dispose();
        var disposed = Assert.Throws<ObjectDisposedException>(() => T.Randn([2], generator));
        Assert.Contains("aten::randn.generator", disposed.Message);

        using var decoder = new ConvDecoder2d(layers: 1, dim: 4, kernel: 3, groups: 2, grid: [2, 2]);
        var shape = Assert.Throws<ArgumentException>(() => decoder.Decode(T.Randn(1, 5, 4)));
        Assert.Contains("Float32[1, 5, 4]", shape.Message);

        Assert.Equal(new long[] { 2, 2 }, T.Randn(2, 3).Topk(2).Values.Shape); // still usable
    }
}
