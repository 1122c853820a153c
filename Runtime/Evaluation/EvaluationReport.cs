using System.Text.Json;
using System.Text.Json.Serialization;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.IO;

namespace AvDsl.Runtime.Evaluation;

/// <summary>The outcome of one evaluation, as printed and as written to <c>&lt;run&gt;/eval/&lt;task&gt;-&lt;probe&gt;.json</c>.</summary>
public sealed record EvaluationReport(
    string Spec,
    string Task,
    string Probe,
    string Init,
    double Accuracy,
    double TrainAccuracy,
    int TrainClips,
    int TestClips,
    IReadOnlyList<string> Classes,
    long Seed,
    int Epochs,
    double LearningRate,
    int EmbeddingDim,
    int? LayerDecayLayers,
    IReadOnlyList<double> TrainLosses,
    IReadOnlyList<SplitReport> Splits,
    string? Checkpoint,
    string Embedding = "embed",
    FineTuneOptions? Recipe = null)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Accuracy a classifier reaches by always guessing one class: 1 / classes.</summary>
    public double Chance => 1.0 / Classes.Count;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The report's file name: <c>&lt;task&gt;-&lt;probe&gt;.json</c>, <c>…-random.json</c> for the baseline, with the
    /// embedding's name when one other than the spec's first was asked for (<c>notes-linear-video_clip.json</c>).</summary>
    public static string FileName(string task, EvaluationProbe probe, bool random, string heldOut = "test", string? embedding = null) =>
        $"{task}-{ProbeName(probe)}{(embedding is null ? "" : "-" + embedding)}{(random ? "-random" : "")}{(heldOut == "test" ? "" : "-" + heldOut)}.json";

    public static string ProbeName(EvaluationProbe probe) => probe switch
    {
        EvaluationProbe.Linear => "linear",
        EvaluationProbe.FineTune => "finetune",
        _ => throw new ArgumentOutOfRangeException(nameof(probe)),
    };

    /// <summary>Writes the report as JSON through a temporary name (a previous report of the same task and probe is replaced).</summary>
    public void Write(string path) => AtomicFile.Write(path, s => s.Write(System.Text.Encoding.UTF8.GetBytes(ToJson() + "\n")));
}
