using System.Text.Json;
using System.Text.Json.Serialization;
using AvDsl.Runtime.IO;

namespace AvDsl.Runtime.Evaluation;

/// <summary>
/// A sequence of tasks evaluated after every stage (<c>&lt;run&gt;/eval/continual.json</c>): zero-shot retrieval both ways on every
/// task's test split (<see cref="Matrix"/>, a row per stage), and per direction the average and forgetting
/// (<see cref="ContinualMetrics"/>).
/// </summary>
public sealed record ContinualReport(
    string Spec,
    long Seed,
    string First,
    string Second,
    IReadOnlyList<string> Stages,
    IReadOnlyList<string> Tasks,
    IReadOnlyList<IReadOnlyList<ContinualCell>> Matrix,
    ContinualSummary FirstToSecond,
    ContinualSummary SecondToFirst)
{
    public const string FileName = "continual.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public void Write(string path) => AtomicFile.Write(path, s => s.Write(System.Text.Encoding.UTF8.GetBytes(ToJson() + "\n")));
}

/// <summary>Task <see cref="Task"/> after stage <see cref="Stage"/> (1-based): retrieval both ways on its test clips.</summary>
public sealed record ContinualCell(int Stage, string Task, int Clips, RetrievalScores FirstToSecond, RetrievalScores SecondToFirst);

/// <summary>One direction's average over tasks after the last stage, and its forgetting (null when no task was trained before the
/// last stage).</summary>
public sealed record ContinualSummary(RecallAtK Average, RecallAtK? Forgetting);
