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
            _ => throw new FormatException($"Unknown device '{text}'; expected cpu, cuda or cuda:N."),
        };
        if (parts.Length == 1)
            return new Device(type);
        if (parts.Length == 2 && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            return new Device(type, index);
        throw new FormatException($"Unknown device '{text}'; expected cpu, cuda or cuda:N.");
    }

    public override string ToString() =>
        (Type == DeviceType.Cpu ? "cpu" : "cuda") + (Index >= 0 ? $":{Index}" : "");
}
