namespace AvDsl.Cli.InProcess;

/// <summary>A compiled spec assembly's bytes, or the errors that stopped it; and the C# the generator wrote, to show
/// when it does not compile.</summary>
public sealed record SpecAssemblyImage(byte[]? Image, IReadOnlyList<string> Errors, IReadOnlyList<(string Name, string Text)> Sources);
