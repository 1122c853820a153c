using AvDsl.Dsl.Parsing;
using AvDsl.Runtime.Training;

namespace AvDsl.Cli;

/// <summary>A run directory made by <c>avdsl train</c>, read back: the resolved spec it was trained from and its
/// checkpoints. The run's spec.avml is the one source of its spec name: the trainer writes it before the first step,
/// so even a run killed before its first checkpoint has it.</summary>
public sealed class TrainedRun(string path)
{
    public string Path { get; } = path;

    public bool Exists => Directory.Exists(Path);

    public string SpecPath => System.IO.Path.Combine(Path, Trainer.SpecFileName);

    public bool HasSpec => File.Exists(SpecPath);

    /// <summary>The resolved spec text; read once.</summary>
    public string SpecText => specText ??= File.ReadAllText(SpecPath);

    /// <summary>The name of the first spec in spec.avml, read by the parser; null when it declares none.</summary>
    public string? SpecName => SpecParser.Parse(SpecPath, SpecText).Specs.FirstOrDefault()?.Name;

    public string FinalCheckpoint => System.IO.Path.Combine(Path, Trainer.FinalCheckpointName);

    /// <summary>The periodic checkpoints an unfinished run left, by file name.</summary>
    public IReadOnlyList<string> PartialCheckpoints =>
        Directory.GetFiles(Path, "checkpoint-*.safetensors").Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    private string? specText;
}
