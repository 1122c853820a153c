using System.Text.Json;
using System.Text.Json.Serialization;
using AvDsl.Runtime.IO;

namespace AvDsl.Runtime.Evaluation;

/// <summary>Retrieval both ways between a spec's two retrieval embeddings on one split, as printed and as written to
/// <c>&lt;run&gt;/eval/&lt;task&gt;-retrieval[-random].json</c>. <see cref="First"/> and <see cref="Second"/> name the embeddings,
/// with the inputs each reads; <see cref="SameClassChance"/> is what a random ranking gives for
/// <see cref="RetrievalScores.SameClassR1"/> (the sum of the squared class shares).</summary>
public sealed record RetrievalReport(
    string Spec,
    string Task,
    string Split,
    string Init,
    long Seed,
    string First,
    IReadOnlyList<string> FirstInputs,
    string Second,
    IReadOnlyList<string> SecondInputs,
    RetrievalScores FirstToSecond,
    RetrievalScores SecondToFirst,
    int Clips,
    double SameClassChance,
    SplitReport Decoded,
    string? Checkpoint)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static string FileName(string task, bool random, string split = "test") =>
        $"{task}-retrieval{(random ? "-random" : "")}{(split == "test" ? "" : "-" + split)}.json";

    public void Write(string path) => AtomicFile.Write(path, s => s.Write(System.Text.Encoding.UTF8.GetBytes(ToJson() + "\n")));
}
