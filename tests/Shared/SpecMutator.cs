using System.Text;

namespace AvDsl.Tests.Shared;

/// <summary>Random edits of a spec — truncation, deleted and duplicated tokens, swapped and deleted lines, random
/// bytes, replaced characters — for robustness and differential tests.</summary>
public static class SpecMutator
{
    /// <summary>One mutation of the seed spec, chosen and placed by the random source.</summary>
    public static string Mutate(string text, Random random)
    {
        if (text.Length < 2) return text + "spec";
        var lines = text.Split('\n').ToList();
        switch (random.Next(8))
        {
            case 0: // truncation
                return text.Substring(0, random.Next(text.Length));
            case 1: // a deleted token
            {
                var (start, length) = RandomToken(text, random);
                return text.Remove(start, length);
            }
            case 2: // a duplicated token
            {
                var (start, length) = RandomToken(text, random);
                return text.Insert(start, text.Substring(start, length) + " ");
            }
            case 3: // swapped lines
            {
                var a = random.Next(lines.Count);
                var b = random.Next(lines.Count);
                (lines[a], lines[b]) = (lines[b], lines[a]);
                return string.Join('\n', lines);
            }
            case 4: // random bytes
            {
                var bytes = new byte[random.Next(1, 12)];
                random.NextBytes(bytes);
                return text.Insert(random.Next(text.Length), Encoding.Latin1.GetString(bytes));
            }
            case 5: // a deleted line
                lines.RemoveAt(random.Next(lines.Count));
                return string.Join('\n', lines);
            case 6: // a replaced character from the grammar's own alphabet
            {
                const string alphabet = "{}()[]:=,.+-*/\"0123456789abcxyz_ \n";
                var at = random.Next(text.Length);
                return text.Remove(at, 1).Insert(at, alphabet[random.Next(alphabet.Length)].ToString());
            }
            default: // two mutations
                return Mutate(Mutate(text, random), random);
        }
    }

    private static (int Start, int Length) RandomToken(string text, Random random)
    {
        var start = random.Next(text.Length - 1);
        while (start > 0 && char.IsLetterOrDigit(text[start - 1])) start--;
        var end = start;
        while (end < text.Length && char.IsLetterOrDigit(text[end])) end++;
        return (start, Math.Min(text.Length - start, Math.Max(1, end - start)));
    }

}
