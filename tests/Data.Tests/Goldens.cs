namespace AvDsl.Data.Tests;

/// <summary>Paths of the committed torchaudio goldens (copied next to the test assembly).</summary>
internal static class Goldens
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Golden", name);
}
