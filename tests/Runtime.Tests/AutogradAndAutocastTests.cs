using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

public sealed class AutogradAndAutocastTests
{
    [Fact]
    public void Autograd_grad_returns_gradients_without_touching_dot_grad_and_supports_second_order()
    {
        using var scope = new TensorScope();
        var x = T.FromArray(new double[] { 1, 2, 3 });
        x.RequiresGrad = true;
        var y = (x * x * x).Sum(); // dy/dx = 3x², d²y/dx² = 6x
        var first = Autograd.Grad([y], [x], createGraph: true)[0]!;
        Assert.Equal(new double[] { 3, 12, 27 }, first.ToArray<double>());
        Assert.Null(x.Grad);
        var second = Autograd.Grad(first.Sum(), x)[0];
        Assert.Equal(new double[] { 6, 12, 18 }, second.ToArray<double>());

        var unused = T.FromArray(new double[] { 1 });
        unused.RequiresGrad = true;
        var z = (x * 2).Sum();
        Assert.Null(Autograd.Grad([z], [x, unused], allowUnused: true)[1]);
        var error = Assert.Throws<TorchException>(() => Autograd.Grad((x * 2).Sum(), unused));
        Assert.Contains("autograd.grad", error.Message);
    }

    [Fact]
    public void Cpu_autocast_runs_linear_in_bf16_and_restores_the_previous_state()
    {
        using var scope = new TensorScope();
        var x = T.Randn(4, 8);
        var w = T.Randn(3, 8);
        using (T.Autocast(DeviceType.Cpu))
            Assert.Equal(DType.BFloat16, Functional.Linear(x, w).DType);
        Assert.Equal(DType.Float32, Functional.Linear(x, w).DType);
    }

    [Fact]
    public void Cuda_autocast_without_a_gpu_says_so_in_one_sentence()
    {
        if (T.IsCudaAvailable)
            return; // a CUDA machine runs the real path instead
        var error = Assert.Throws<InvalidOperationException>(() => T.Autocast(DeviceType.Cuda));
        Assert.Contains("no CUDA device", error.Message);
    }
}
