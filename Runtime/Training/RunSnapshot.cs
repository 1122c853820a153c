using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AvDsl.Runtime.IO;

namespace AvDsl.Runtime.Training;

/// <summary>
/// What a run was made from, written as run.json beside spec.avml when the run starts: the resolved spec's content
/// hash, the <c>--set</c> overrides, seed and length, the git commit of the user's project (and whether it had
/// uncommitted changes), the versions of AvDsl, libtorch, .NET and the OS, the host, the threads, and the hash of
/// every data manifest. <c>avdsl reproduce</c> re-runs from it and says which of these differ.
/// </summary>
public sealed record RunSnapshot
{
    public const string FileName = "run.json";

    public required string Spec { get; init; }
    public required string SpecHash { get; init; }
    public IReadOnlyList<string> Overrides { get; init; } = [];
    public long Seed { get; init; }
    /// <summary>The <c>--steps</c> the run was started with; null: the spec's own length.</summary>
    public long? Steps { get; init; }
    public string Device { get; init; } = "cpu";
    public int WorldSize { get; init; } = 1;
    public GitState? Git { get; init; }
    [JsonPropertyName("avdsl_version")]
    public required string AvDslVersion { get; init; }
    public required string LibtorchVersion { get; init; }
    public required string DotnetVersion { get; init; }
    public required string Os { get; init; }
    public required string Host { get; init; }
    public int Threads { get; init; }
    public IReadOnlyDictionary<string, string> Manifests { get; init; } = new Dictionary<string, string>();
    public required DateTimeOffset Started { get; init; }

    /// <summary>The commit of the project a spec came from, and whether its work tree differed from it.</summary>
    public sealed record GitState(string Repository, string Commit, bool Dirty);

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The snapshot of a run of <paramref name="plan"/> starting now.</summary>
    /// <param name="project">A path inside the user's project (the spec file), for its git commit; null: none recorded.</param>
    public static RunSnapshot Capture(TrainingPlan plan, RunOptions options, string? project) => new()
    {
        Spec = plan.SpecName,
        SpecHash = SpecHashOf(plan.ResolvedSpec),
        Overrides = options.Overrides,
        Seed = plan.Seed,
        Steps = options.Steps,
        Device = (options.Device ?? Torch.Device.Select(plan.Device)).ToString(),
        WorldSize = options.Distributed?.WorldSize ?? 1,
        Git = project is null ? null : GitOf(project),
        AvDslVersion = typeof(RunSnapshot).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                       ?? typeof(RunSnapshot).Assembly.GetName().Version?.ToString() ?? "unknown",
        LibtorchVersion = Torch.Torch.Version,
        DotnetVersion = RuntimeInformation.FrameworkDescription,
        Os = RuntimeInformation.OSDescription,
        Host = Environment.MachineName,
        Threads = Torch.Torch.GetNumThreads(),
        Manifests = ManifestsOf(plan),
        Started = DateTimeOffset.UtcNow,
    };

    public void Write(string runDirectory) =>
        AtomicFile.WriteNewText(Path.Combine(runDirectory, FileName), JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>The snapshot in a run directory; null when it has none (a run from before snapshots).</summary>
    /// <exception cref="InvalidDataException">run.json is there but not a snapshot.</exception>
    public static RunSnapshot? Read(string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<RunSnapshot>(File.ReadAllText(path), Json)
                   ?? throw new InvalidDataException($"'{path}' holds null, not a run snapshot.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"'{path}' is not a run snapshot ({error.Message}); it was edited or cut short.", error);
        }
    }

    /// <summary>What differs between the machine and code a run was made with and <paramref name="now"/>'s: one line each.</summary>
    public IReadOnlyList<string> DifferencesFrom(RunSnapshot now)
    {
        var lines = new List<string>();
        void Compare(string what, string? then, string? current)
        {
            if (!string.Equals(then, current, StringComparison.Ordinal)) lines.Add($"{what}: {then ?? "none"} then, {current ?? "none"} now");
        }
        Compare("AvDsl", AvDslVersion, now.AvDslVersion);
        Compare("libtorch", LibtorchVersion, now.LibtorchVersion);
        Compare(".NET", DotnetVersion, now.DotnetVersion);
        Compare("OS", Os, now.Os);
        Compare("host", Host, now.Host);
        Compare("threads", Threads.ToString(), now.Threads.ToString());
        Compare("git commit", Git is null ? null : Git.Commit + (Git.Dirty ? " (dirty)" : ""), now.Git is null ? null : now.Git.Commit + (now.Git.Dirty ? " (dirty)" : ""));
        foreach (var (path, hash) in Manifests)
            Compare($"manifest {path}", hash[..12], now.Manifests.TryGetValue(path, out var h) ? h[..12] : null);
        return lines;
    }

    private static Dictionary<string, string> ManifestsOf(TrainingPlan plan)
    {
        var sources = new List<Data.IDataSource> { plan.Data };
        sources.AddRange(plan.Tasks.Select(t => t.Source));
        sources.AddRange(plan.Stages.SelectMany(s => s.Tasks).Select(t => t.Source));
        var manifests = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var clips in sources.Select(s => s.Clips()).OfType<Data.ManifestSplit>())
        {
            if (manifests.ContainsKey(clips.Path) || !File.Exists(clips.Path)) continue;
            manifests[clips.Path] = Sha256(File.ReadAllBytes(clips.Path));
        }
        return new Dictionary<string, string>(manifests);
    }

    /// <summary>The SHA-256 of a resolved spec's text, as run.json's spec_hash and sweep.json's variants record it.</summary>
    public static string SpecHashOf(string resolvedSpec) => Sha256(Encoding.UTF8.GetBytes(resolvedSpec));

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static GitState? GitOf(string path)
    {
        var folder = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is null) return null;
        var root = RunGit(folder, "rev-parse", "--show-toplevel");
        var commit = RunGit(folder, "rev-parse", "HEAD");
        if (root is null || commit is null) return null;
        var status = RunGit(folder, "status", "--porcelain", "--untracked-files=no");
        return new GitState(root, commit, status is null || status.Length > 0);
    }

    // Null when git is not installed or the folder is not in a repository.
    private static string? RunGit(string folder, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
