using System.Security.Cryptography;
using System.Text;

namespace AvDsl.Cli;

/// <summary>The hash the generator stamps on each compiled spec (<c>CompiledSpec.SourceHash</c>): SHA-256 of the
/// file's text as UTF-8, lower-case hex. It must agree with the generator's <c>CompiledFile.HashOf</c>, which runs in
/// the compiler (netstandard2.0) and so keeps its own copy.</summary>
public static class SpecSourceHash
{
    public static string Of(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string OfFile(string path) => Of(File.ReadAllText(path));
}
