using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

public sealed class ErrorTests
{
    [Fact]
    public void Shape_mismatch_throws_TorchException_naming_op_and_shapes_and_the_next_call_works()
    {
        using var scope = new TensorScope();
        var a = T.Zeros(2, 3);
        var b = T.Zeros(4, 5);
        var error = Assert.Throws<TorchException>(() => a.Matmul(b));
        Assert.Equal("aten::matmul", error.Operation);
        Assert.Contains("aten::matmul", error.Message);
        Assert.Contains("Float32[2, 3]", error.Message);
        Assert.Contains("Float32[4, 5]", error.Message);
        Assert.DoesNotContain("Exception raised from", error.Message); // no C++ backtrace

        var ok = a.Matmul(T.Ones(3, 1));
        Assert.Equal(new long[] { 2, 1 }, ok.Shape);
    }

    [Fact]
    public void Wrong_dtype_is_reported_with_the_dtypes()
    {
        using var scope = new TensorScope();
        var x = T.Zeros(2, 2);
        var index = T.Zeros([2, 2], DType.Float32);
        var error = Assert.Throws<TorchException>(() => x.Gather(1, index));
        Assert.Contains("aten::gather", error.Message);
        Assert.Contains("index: Float32[2, 2]", error.Message);
        Assert.Equal(4, x.Gather(1, T.Zeros([2, 2], DType.Int64)).NumElements);
    }

    [Fact]
    public void Many_failures_in_a_row_leave_the_library_usable()
    {
        using var scope = new TensorScope();
        for (var i = 0; i < 100; i++)
            Assert.Throws<TorchException>(() => T.Zeros(3).Reshape(2, 2));
        Assert.Equal(4, T.Zeros(4).Reshape(2, 2).NumElements);
    }

    [Fact]
    public void Using_a_disposed_tensor_throws_ObjectDisposedException_naming_it()
    {
        var x = T.Zeros(2);
        x.Name = "weights";
        x.Dispose();
        x.Dispose(); // twice is fine
        var error = Assert.Throws<ObjectDisposedException>(() => x + 1);
        Assert.Contains("weights", error.Message);
        Assert.Contains("aten::add", error.Message);
    }

    [Fact]
    public void A_tensor_freed_by_its_scope_says_so()
    {
        Tensor escaped;
        using (new TensorScope())
            escaped = T.Zeros(2);
        var error = Assert.Throws<ObjectDisposedException>(() => escaped.Shape);
        Assert.Contains("MoveToOuterScope", error.Message);
    }

    [Fact]
    public void Mse_of_different_shapes_names_both()
    {
        using var scope = new TensorScope();
        var error = Assert.Throws<ArgumentException>(() => Functional.MseLoss(T.Zeros(2, 3), T.Zeros(3, 2)));
        Assert.Contains("Float32[2, 3]", error.Message);
        Assert.Contains("Float32[3, 2]", error.Message);
    }

    [Fact]
    public void Backward_through_nothing_that_requires_grad_is_reported_with_the_shape()
    {
        using var scope = new TensorScope();
        var error = Assert.Throws<TorchException>(() => T.Ones(2, 2).Sum().Backward());
        Assert.Equal("Tensor.Backward", error.Operation);
        Assert.Contains("backward(Float32[])", error.Message);
        Assert.Contains("does not require grad", error.Message);
    }

    [Fact]
    public void Unknown_operator_is_reported_by_name()
    {
        var error = Assert.Throws<TorchException>(() => new Op("aten::no_such_op").Handle);
        Assert.Contains("aten::no_such_op", error.Message);
    }
}
