namespace AvDsl.Cli.Commands;

/// <summary>What <c>avdsl reconstruct</c> was asked for.</summary>
/// <param name="Spec">A spec file or the name of a compiled spec: the architecture the run's weights are loaded into.</param>
/// <param name="SpecName">Which spec of a file that holds several.</param>
/// <param name="RunDirectory">A finished run of that spec, made by <c>avdsl train</c>.</param>
/// <param name="Clip">Which clip, counted from 0 in the manifest's order (of the training split for the spec's own manifest).</param>
/// <param name="Out">Where the pictures go; null for <c>&lt;run&gt;/reconstruct/&lt;manifest&gt;-clip-&lt;N&gt;</c>.</param>
/// <param name="Steps">A diffusion sampler's steps; null for one forward pass.</param>
/// <param name="Manifest">Another manifest to take the clip from (every row counts); null for the spec's training manifest.</param>
/// <param name="Seed">Seeds the masks.</param>
public sealed record ReconstructOptions(
    string Spec,
    string RunDirectory,
    int Clip,
    string? Out = null,
    int? Steps = null,
    string? Manifest = null,
    long Seed = 0,
    string? SpecName = null);
