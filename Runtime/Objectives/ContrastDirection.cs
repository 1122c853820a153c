namespace AvDsl.Runtime.Objectives;

/// <summary>Which way <see cref="Contrastive.InfoNce"/> classifies: each a among the b's, each b among the a's, or the
/// mean of both (MAViL's and STELLA's bidirectional term; CAV-MAE's default is one direction).</summary>
public enum ContrastDirection
{
    Both,
    AToB,
    BToA,
}
