using System.Globalization;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>
/// A training checkpoint as one safetensors file: the model's state dict under its own keys, AdamW's moments
/// as <c>optimizer.&lt;param&gt;.exp_avg</c> / <c>.exp_avg_sq</c>, the default CPU generator's state as
/// <c>rng.cpu</c> (UInt8), and metadata (step, optimizer step, spec name, resolved spec, seed, libtorch version,
/// and — when given — the spec a sweep point varies, the run's length in steps and the data source's state as
/// <c>data.&lt;key&gt;</c>).
/// <see cref="Restore"/> brings all of it back so that a resumed run continues bit-identically.
/// </summary>
public static class Checkpoint
{
    public const string OptimizerPrefix = "optimizer.";
    public const string RngStateKey = "rng.cpu";
    public const string DataPrefix = "data.";
    public const string TotalStepsKey = "total_steps";
    public const string SpecNameKey = "spec_name";
    public const string VariantOfKey = "variant_of";
    public const string WorldSizeKey = "world_size";

    /// <param name="totalSteps">The run's length, which the learning-rate and other schedules depend on; a resumed run keeps it.</param>
    /// <param name="data">The data source's <see cref="IBatchSource.StateDict"/>, stored as <c>data.&lt;key&gt;</c> metadata.</param>
    /// <param name="variantOf">For a sweep point, the spec it varies (<see cref="TrainingPlan.VariantOf"/>).</param>
    public static void Write(string path, Module model, AdamW? optimizer, long step, string specName, string resolvedSpec, long seed,
        long? totalSteps = null, IReadOnlyDictionary<string, string>? data = null, string? variantOf = null, int worldSize = 1)
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
            [SpecNameKey] = specName,
            ["spec"] = resolvedSpec,
            ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
            ["libtorch"] = Torch.Torch.Version,
        };
        if (variantOf is not null)
            metadata[VariantOfKey] = variantOf;
        if (worldSize > 1)
            metadata[WorldSizeKey] = worldSize.ToString(CultureInfo.InvariantCulture);
        if (totalSteps is { } total)
            metadata[TotalStepsKey] = total.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in data ?? new Dictionary<string, string>())
            metadata[DataPrefix + key] = value;
        if (optimizer is not null)
        {
            metadata["optimizer"] = "adamw";
            metadata["optimizer.step"] = optimizer.StepCount.ToString(CultureInfo.InvariantCulture);
        }
        SafeTensors.Write(path, tensors, metadata);
    }

    /// <summary>The metadata of a checkpoint (step, spec, seed, total steps, data state…) without loading its tensors.</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path) => SafeTensors.ReadMetadata(path);

    /// <summary>The data source's state a checkpoint's metadata holds (the <c>data.</c> keys, prefix removed).</summary>
    public static IReadOnlyDictionary<string, string> DataState(IReadOnlyDictionary<string, string> metadata) =>
        metadata.Where(kv => kv.Key.StartsWith(DataPrefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[DataPrefix.Length..], kv => kv.Value);

    /// <summary>
    /// Loads a checkpoint written by <see cref="Write"/> into <paramref name="model"/> (strictly), the optimizer's
    /// moments and step (when given), the default CPU generator's state, and the data source's position (when
    /// given; the checkpoint must then hold one). Returns the training step.
    /// </summary>
    public static long Restore(string path, Module model, AdamW? optimizer = null, IBatchSource? data = null)
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
        if (data is not null)
        {
            var state = DataState(file.Metadata);
            if (state.Count == 0)
                throw new InvalidDataException($"'{path}' holds no data-source state, so the batches after step {step} cannot be reproduced.");
            data.LoadStateDict(state);
        }
        if (file.Tensors.TryGetValue(RngStateKey, out var rng))
            Torch.Torch.SetRngState(rng);
        return step;
    }

    /// <summary>
    /// A data-parallel rank's own part of a checkpoint (ranks other than 0, beside rank 0's file): its CPU generator and
    /// its data shard's position, which differ from rank 0's. Its replay buffers sit beside it as rank 0's sit beside the
    /// checkpoint.
    /// </summary>
    public static void WriteRankState(string path, long step, IReadOnlyDictionary<string, string> data)
    {
        using var scope = new TensorScope();
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "avdsl-rank-state/1",
            ["step"] = step.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in data)
            metadata[DataPrefix + key] = value;
        SafeTensors.Write(path, [new(RngStateKey, Torch.Torch.GetRngState())], metadata);
    }

    /// <summary>Restores what <see cref="WriteRankState"/> wrote, after checking it belongs to step <paramref name="step"/>.</summary>
    public static void RestoreRankState(string path, long step, IBatchSource? data)
    {
        using var file = SafeTensors.Read(path);
        if (!file.Metadata.TryGetValue("step", out var text) || text != step.ToString(CultureInfo.InvariantCulture))
            throw new InvalidDataException($"'{path}' is not this rank's state at step {step} (its step is {text ?? "missing"}).");
        if (data is not null)
            data.LoadStateDict(DataState(file.Metadata));
        Torch.Torch.SetRngState(file.Tensors[RngStateKey]);
    }
}
