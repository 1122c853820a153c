namespace AvDsl.Runtime.Torch;

/// <summary>Where a tensor lives: <see cref="Cpu"/> or <c>Device.Cuda(0)</c>.</summary>
public readonly record struct Device(DeviceType Type, int Index = -1)
{
    public static Device Cpu => new(DeviceType.Cpu);

    public static Device Cuda(int index = 0) => new(DeviceType.Cuda, index);

    /// <summary>Parses "cpu", "cuda", "cuda:1".</summary>
    public static Device Parse(string text)
    {
        var parts = text.Trim().ToLowerInvariant().Split(':');
        var type = parts[0] switch
        {
            "cpu" => DeviceType.Cpu,
            "cuda" => DeviceType.Cuda,
            _ => throw new FormatException($"Unknown device '{text}'; expected auto, cpu, cuda or cuda:N."),
        };
        if (parts.Length == 1)
            return new Device(type);
        if (parts.Length == 2 && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            return new Device(type, index);
        throw new FormatException($"Unknown device '{text}'; expected auto, cpu, cuda or cuda:N.");
    }

    /// <summary>
    /// The device for a command-line choice: "auto" (CUDA when present, else the CPU), "cpu", "cuda" or "cuda:N".
    /// Asking for CUDA where there is none throws <see cref="DeviceUnavailableException"/>.
    /// </summary>
    public static Device Select(string choice)
    {
        if (string.Equals(choice.Trim(), "auto", StringComparison.OrdinalIgnoreCase))
            return Torch.IsCudaAvailable ? Cuda(0) : Cpu;
        var device = Parse(choice);
        if (device.Type == DeviceType.Cuda)
        {
            var count = Torch.CudaDeviceCount;
            if (count == 0)
                throw new DeviceUnavailableException(
                    $"CUDA was requested but this machine has no usable CUDA device (or libtorch {Torch.Version} was built without CUDA; set LIBTORCH_DIR to a CUDA libtorch), so use --device cpu or auto.");
            if (device.Index >= count)
                throw new DeviceUnavailableException($"cuda:{device.Index} was requested but only {count} CUDA device(s) exist.");
        }
        return device;
    }

    public override string ToString() =>
        (Type == DeviceType.Cpu ? "cpu" : "cuda") + (Index >= 0 ? $":{Index}" : "");
}
