using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace AvDsl.Dsl;

/// <summary>The hash a compiled spec carries (<c>CompiledSpec.SourceHash</c>), so that the CLI can tell whether a file on
/// disk is the one compiled in: SHA-256 of the file's text as UTF-8, lower-case hex. The generator and the CLI both call
/// this one function.</summary>
public static class SpecSourceHash
{
    public static string Of(string text)
    {
        using var sha = SHA256.Create();
        return string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes(text)).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
