using System.Globalization;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>
/// A training checkpoint as one safetensors file: the model's state dict under its own keys, AdamW's moments
/// as <c>optimizer.&lt;param&gt;.exp_avg</c> / <c>.exp_avg_sq</c>, the default CPU generator's state as
/// <c>rng.cpu</c> (UInt8), and metadata (step, optimizer step, spec name, resolved spec, seed, libtorch version).
/// <see cref="Restore"/> brings all of it back so that a resumed run continues bit-identically.
/// </summary>
public static class Checkpoint
{
    public const string OptimizerPrefix = "optimizer.";
    public const string RngStateKey = "rng.cpu";

    public static void Write(string path, Module model, AdamW? optimizer, long step, string specName, string resolvedSpec, long seed)
    {
        using var scope = new TensorScope();
        var tensors = new List<KeyValuePair<string, Tensor>>(model.StateDict());
        if (optimizer is not null)
            foreach (var (key, tensor) in optimizer.StateDict())
                tensors.Add(new(OptimizerPrefix + key, tensor));
        tensors.Add(new(RngStateKey, Torch.Torch.GetRngState()));
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "avdsl-checkpoint/2",
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

    /// <summary>
    /// Loads a checkpoint written by <see cref="Write"/> into <paramref name="model"/> (strictly), the optimizer's
    /// moments and step (when given), and the default CPU generator's state. Returns the training step.
    /// </summary>
    public static long Restore(string path, Module model, AdamW? optimizer = null)
    {
        using var file = SafeTensors.Read(path);
        if (!file.Metadata.TryGetValue("step", out var stepText) || !long.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out var step))
            throw new InvalidDataException($"'{path}' is not an AvDsl checkpoint: its metadata has no step.");
        var modelState = file.Tensors.Where(kv => !kv.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal) && kv.Key != RngStateKey)
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        model.LoadStateDict(modelState);
        if (optimizer is not null)
        {
            if (!file.Metadata.TryGetValue("optimizer.step", out var optimizerStepText))
                throw new InvalidDataException($"'{path}' holds no optimizer state.");
            var optimizerState = file.Tensors.Where(kv => kv.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[OptimizerPrefix.Length..], kv => kv.Value);
            optimizer.LoadStateDict(optimizerState, long.Parse(optimizerStepText, NumberStyles.None, CultureInfo.InvariantCulture));
        }
        if (file.Tensors.TryGetValue(RngStateKey, out var rng))
            Torch.Torch.SetRngState(rng);
        return step;
    }
}
