using System.Globalization;

namespace AvDsl.Runtime.Training;

/// <summary>Creates a run's directory without ever reusing one that holds something.</summary>
public static class RunDirectory
{
    /// <summary>
    /// <c>&lt;root&gt;/&lt;spec-name-kebab&gt;-&lt;yyyyMMdd-HHmmss&gt;</c>, with "-2", "-3"... appended if that exists;
    /// or <paramref name="explicitPath"/>, which must not exist or be empty.
    /// </summary>
    public static string Create(string runRoot, string specName, string? explicitPath = null, DateTime? now = null)
    {
        if (explicitPath is not null)
        {
            var full = Path.GetFullPath(explicitPath);
            if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
                throw new IOException($"The run directory '{full}' already holds files; refusing to write into it.");
            Directory.CreateDirectory(full);
            return full;
        }

        var stamp = (now ?? DateTime.Now).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var candidate = NextFree(Path.Combine(Path.GetFullPath(runRoot), $"{SnakeCase.ToKebab(specName)}-{stamp}"));
        Directory.CreateDirectory(candidate);
        return candidate;
    }

    /// <summary><paramref name="path"/>, or the first of path-2, path-3, … that names nothing yet.</summary>
    public static string NextFree(string path)
    {
        for (var n = 1; ; n++)
        {
            var candidate = n == 1 ? path : $"{path}-{n}";
            if (!Directory.Exists(candidate) && !File.Exists(candidate))
                return candidate;
        }
    }
}
