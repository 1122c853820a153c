using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

public sealed class DeviceSelectionTests
{
    [Fact]
    public void Auto_picks_cuda_only_when_present_and_cpu_is_always_available()
    {
        Assert.Equal(Device.Cpu, Device.Select("cpu"));
        Assert.Equal(T.IsCudaAvailable ? Device.Cuda(0) : Device.Cpu, Device.Select("auto"));
        Assert.Throws<FormatException>(() => Device.Select("gpu"));
    }

    [Fact]
    public void Asking_for_cuda_without_a_gpu_gives_one_clear_sentence()
    {
        if (T.IsCudaAvailable)
            return; // on a GPU machine cuda is a valid choice
        var error = Assert.Throws<DeviceUnavailableException>(() => Device.Select("cuda"));
        Assert.StartsWith("CUDA was requested but this machine has no usable CUDA device", error.Message);
        Assert.Single(error.Message.Split(". ", StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain('\n', error.Message);
    }
}
