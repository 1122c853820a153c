using System.Text;

namespace AvDsl;

/// <summary>
/// The one naming rule shared by state-dict keys, spec names and the names the generator reads off C# members:
/// <c>QkvProj</c> → <c>qkv_proj</c>, <c>_norm</c> → <c>norm</c>, <c>dropPath</c> → <c>drop_path</c>,
/// <c>HTTPServer</c> → <c>http_server</c>, <c>Fc1</c> → <c>fc1</c> (digits stick to the word before them).
/// This file is compiled into both the Runtime (net10.0) and the generator (netstandard2.0, linked by
/// Dsl.Generator.csproj), which cannot reference each other; hence the root namespace, <c>internal</c>, and
/// nothing newer than netstandard2.0 here.
/// </summary>
internal static class SnakeCase
{
    public static string From(string name)
    {
        var text = name.TrimStart('_');
        var result = new StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsUpper(c))
            {
                var previous = i > 0 ? text[i - 1] : '\0';
                var next = i + 1 < text.Length ? text[i + 1] : '\0';
                var startsWord = i > 0 && previous != '_' &&
                                 (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && char.IsLower(next)));
                if (startsWord)
                    result.Append('_');
                result.Append(char.ToLowerInvariant(c));
            }
            else
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }

    /// <summary>kebab-case (for directory names): <c>TinyMae</c> → <c>tiny-mae</c>.</summary>
    public static string ToKebab(string name) => From(name).Replace('_', '-');
}
