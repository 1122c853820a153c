using System.Globalization;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>
/// A training checkpoint as one safetensors file: the model's state dict under its own keys, AdamW's moments
/// as <c>optimizer.&lt;param&gt;.exp_avg</c> / <c>.exp_avg_sq</c>, and metadata (step, spec name, resolved spec,
/// seed, optimizer step, libtorch version).
/// </summary>
public static class Checkpoint
{
    public const string OptimizerPrefix = "optimizer.";

    public static void Write(string path, Module model, AdamW? optimizer, long step, string specName, string resolvedSpec, long seed)
    {
        var tensors = new List<KeyValuePair<string, Tensor>>(model.StateDict());
        if (optimizer is not null)
            foreach (var (key, tensor) in optimizer.StateDict())
                tensors.Add(new(OptimizerPrefix + key, tensor));
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "avdsl-checkpoint/1",
            ["step"] = step.ToString(CultureInfo.InvariantCulture),
            ["spec_name"] = specName,
            ["spec"] = resolvedSpec,
            ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
            ["libtorch"] = Torch.Torch.Version,
        };
        if (optimizer is not null)
        {
            metadata["optimizer"] = "adamw";
            metadata["optimizer.step"] = optimizer.StepCount.ToString(CultureInfo.InvariantCulture);
        }
        SafeTensors.Write(path, tensors, metadata);
    }
}
