using AvDsl.Cli.Pictures;
using AvDsl.Cli.Shell;

namespace AvDsl.Cli.Commands;

/// <summary>How <c>avdsl reconstruct</c> ended, and when it drew, the folder and the pictures of each reconstruction loss.</summary>
public sealed record ReconstructResult(ResultKind Kind, string? Folder = null, IReadOnlyList<DrawnReconstruction>? Pictures = null) : CommandResult(Kind);
