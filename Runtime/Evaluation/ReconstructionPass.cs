using AvDsl.Runtime.Data;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Training;

namespace AvDsl.Runtime.Evaluation;

/// <summary>
/// How a trained model's reconstructions of a batch are made, one per reconstruction loss in the plan's order. The default
/// (<see cref="ClipReconstruction.OneForwardPass"/>) is the flow run once, <see cref="SpecModel.Reconstruct"/>; a diffusion
/// decoder's picture comes from a sampler that runs the flow several times, starting from noise, and passes here instead.
/// Called in training mode (masks drawn as in training), under the request's seed, without gradients.
/// </summary>
public delegate Reconstruction[] ReconstructionPass(SpecModel model, Batch batch);
