using System.Text;

namespace AvDsl.Generator;

/// <summary>Spec names are snake_case; C# names are PascalCase (members) or camelCase (parameters). C# → snake_case is
/// <see cref="SnakeCase.From"/>, the rule the Runtime's state-dict keys follow (one file, linked into this project).</summary>
internal static class NameCase
{
    public static string ToPascal(string snake)
    {
        var text = new StringBuilder();
        var upper = true;
        foreach (var c in snake)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }
            text.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return text.ToString();
    }

    public static string ToCamel(string snake)
    {
        var pascal = ToPascal(snake);
        return pascal.Length == 0 ? pascal : char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
    }
}
