using AvDsl.Runtime.Data;
using AvDsl.Runtime.Training;

namespace AvDsl.Runtime.Evaluation;

/// <summary>
/// One reconstruction loss of a trained model on one clip, on the host, in the input's layout (<see cref="Shape"/>:
/// [frames, mel] or [3, frames, H, W]) and units, as the model read it: the input, where its patches were hidden, and the
/// reconstruction (visible patches from the input, hidden ones predicted). <see cref="Picture"/> says how to draw it.
/// </summary>
/// <param name="Term">The loss, as the plan declares it.</param>
/// <param name="Shape">One sample's shape.</param>
/// <param name="Input">The prepared input sample.</param>
/// <param name="Hidden">1 at every element of a hidden patch, 0 elsewhere.</param>
/// <param name="Reconstruction">Visible patches pasted from <paramref name="Input"/>, hidden ones from the prediction, norm_pix undone.</param>
/// <param name="HiddenPatches">How many of the <paramref name="Patches"/> patches the mask hid.</param>
/// <param name="Picture">How the input's feature kind is drawn; null when it has no picture.</param>
/// <param name="Sampled">For a sampled reconstruction, each sampling step's timestep and reconstruction (laid out as
/// <paramref name="Reconstruction"/>, the last step's); empty for one forward pass.</param>
public sealed record ReconstructedSample(ReconstructionTerm Term, int[] Shape, float[] Input, float[] Hidden, float[] Reconstruction,
    int HiddenPatches, int Patches, SamplePicture? Picture, IReadOnlyList<(int Timestep, float[] Reconstruction)> Sampled);
