namespace AvDsl.Runtime.Training;

/// <summary>An embedding a spec's <c>eval</c> block declares: its name and the inputs it reads, so that evaluation
/// decodes only those streams (an audio embedding needs no video).</summary>
public sealed record DeclaredEmbedding(string Name, IReadOnlyList<string> Inputs);
