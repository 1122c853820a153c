namespace AvDsl.Runtime.Torch;

/// <summary>A device was asked for that this libtorch or machine does not have; the message is one sentence saying so.</summary>
public sealed class DeviceUnavailableException(string message) : Exception(message);
