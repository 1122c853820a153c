using AvDsl.Runtime.Data;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;

namespace AvDsl.Runtime.Evaluation;

/// <summary>
/// Fine-tuning: the spec's clip embedding, standardised with the train split's statistics at the start, and
/// a linear head (zero-initialised, as MAE's near-zero head),
/// trained end to end with cross-entropy and AdamW — layer-wise learning-rate decay over the encoder's blocks when it
/// has them, no weight decay on biases and norms — for a fixed number of epochs of shuffled mini-batches, with EAT's
/// regularisers from <see cref="FineTuneOptions"/>: drop-path in the encoder's blocks, a time and a frequency mask on
/// every spectrogram input, and mixup of inputs and targets. The order of each epoch comes from the seed and the
/// draws from libtorch's default generator, so a seed fixes the result on the CPU. Accuracy is measured afterwards in
/// evaluation mode without gradients, where none of the regularisers acts.
/// </summary>
public static class FineTuning
{
    /// <summary>The head's parameter keys start with this; <see cref="LayerDecay"/> gives them the full rate.</summary>
    public const string HeadPrefix = "head.";

    public static ClassifierResult Run(Module model, Func<Module, Batch, Tensor> embed, LabelledClips train, LabelledClips test, int classes,
        long seed, FineTuneOptions? options = null, CancellationToken cancel = default)
    {
        options ??= new FineTuneOptions();
        if (classes < 2)
            throw new ArgumentOutOfRangeException(nameof(classes), $"a classifier needs at least two classes, got {classes}.");
        if (options.Epochs <= 0 || options.BatchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), $"fine-tuning needs at least one epoch and a positive batch size, got {options.Epochs} and {options.BatchSize}.");
        if (train.Count == 0 || test.Count == 0)
            throw new ArgumentException($"fine-tuning needs clips to train and test on, got {train.Count} and {test.Count}.");

        var dimension = EmbeddingWidth(model, embed, train);
        // Standardised with the train split's statistics under the starting encoder, fixed from then on, as the
        // linear probe does: a per-clip LayerNorm keeps the spread across clips tiny next to their shared mean,
        // and a zero-initialised head then barely moves (measured: keywords stayed at chance at every rate tried).
        var (mean, std) = LinearProbe.Statistics(ClipEmbedder.Embed(model, embed, train, cancel: cancel));
        using var shift = Torch.Torch.FromArray(mean.Select(m => (float)m).ToArray(), dimension);        // [D]
        using var scale = Torch.Torch.FromArray(std.Select(s => (float)(1.0 / s)).ToArray(), dimension); // [D]
        using var weight = Parameter.Zeros(classes, dimension);                   // [C, D]
        using var bias = Parameter.Zeros(classes);                                // [C]
        var layerDecay = LayerDecayFor(model, options.LayerDecay);
        var parameters = model.NamedParameters().Concat([new(HeadPrefix + "weight", weight), new(HeadPrefix + "bias", bias)]).ToList();
        var head = new Head(shift, scale, weight, bias);
        using var optimizer = new AdamW(parameters, options.LearningRate,
            new OptimizerSettings(Betas: [options.Beta1, options.Beta2], WeightDecay: options.WeightDecay),
            layerDecay is null ? null : layerDecay.Scale);

        var transformers = model.Modules().OfType<Transformer>().ToList();
        var pretrainedDropPath = transformers.Select(t => t.Blocks.Select(b => b.Drop.Probability).ToArray()).ToList();
        foreach (var transformer in transformers) transformer.SetDropPath(options.DropPath);
        try
        {
            return Train(model, embed, train, test, options, head, optimizer, seed, dimension, cancel);
        }
        finally
        {
            for (var t = 0; t < transformers.Count; t++)
                for (var b = 0; b < transformers[t].Blocks.Count; b++)
                    transformers[t].Blocks[b].Drop.Probability = pretrainedDropPath[t][b];
        }
    }

    private static ClassifierResult Train(Module model, Func<Module, Batch, Tensor> embed, LabelledClips train, LabelledClips test, FineTuneOptions options,
        Head head, AdamW optimizer, long seed, int dimension, CancellationToken cancel)
    {
        var stepsPerEpoch = (train.Count + options.BatchSize - 1) / options.BatchSize;
        var totalSteps = (long)stepsPerEpoch * options.Epochs;
        var schedule = new WarmupCosineSchedule(options.LearningRate, Duration.Fraction(options.WarmupFraction));
        var losses = new List<double>(options.Epochs);
        long step = 0;
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            model.Train();
            var order = MediaBatchLoader.Order(train.Count, seed, epoch);
            var sum = 0.0;
            for (var start = 0; start < order.Length; start += options.BatchSize, step++)
            {
                cancel.ThrowIfCancellationRequested();
                using var scope = new TensorScope();
                var indices = order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start));
                using var batch = train.Batch(indices);
                var targets = train.LabelTensor(indices);
                // λ of the batch itself; the rest is the batch reversed (timm's mixup pairs a batch with its flip).
                var lambda = options.Mixup > 0 && indices.Length > 1 ? Objectives.Mixup.SampleBeta(options.Mixup) : 1.0;
                var reversed = Torch.Torch.Arange(indices.Length - 1, -1, -1);
                using var augmented = new Batch(batch.Inputs.ToDictionary(name => name, name =>
                {
                    var x = lambda < 1 ? batch[name] * lambda + batch[name].IndexSelect(0, reversed) * (1 - lambda) : batch[name].Alias();
                    return x.Dim == 3 ? SpecAugment(x, options.TimeMask, options.FrequencyMask) : x;
                }));
                var logits = head.Forward(embed(model, augmented));                 // [B, C]
                var loss = Functional.CrossEntropy(logits, targets);
                if (lambda < 1)
                    loss = loss * lambda + Functional.CrossEntropy(logits, targets.IndexSelect(0, reversed)) * (1 - lambda);
                optimizer.LearningRate = schedule.At(step, totalSteps);
                optimizer.ZeroGrad();
                loss.Backward();
                optimizer.Step();
                sum += loss.Item<double>();
            }
            losses.Add(sum / stepsPerEpoch);
        }

        return new ClassifierResult(Accuracy(model, embed, head, test), Accuracy(model, embed, head, train), losses, (int)totalSteps, dimension);
    }

    /// <summary>SpecAugment on spectrograms [B, T, F]: per clip, one band of frames up to <paramref name="time"/> of T
    /// wide and one band of mel bins up to <paramref name="frequency"/> of F wide, each placed uniformly, set to zero.</summary>
    public static Tensor SpecAugment(Tensor spectrogram, double time, double frequency)
    {
        var x = spectrogram;
        if (time > 0) x = x * Band(x.Size(0), x.Size(1), time).Unsqueeze(2);          // [B, T, 1]
        if (frequency > 0) x = x * Band(x.Size(0), x.Size(2), frequency).Unsqueeze(1); // [B, 1, F]
        return x;
    }

    // [B, L]: 0 inside a band of width U(0, fraction · L) at a uniform start, 1 elsewhere.
    private static Tensor Band(long batch, long length, double fraction)
    {
        var width = Torch.Torch.Rand(batch, 1) * (fraction * length);                 // [B, 1]
        var start = Torch.Torch.Rand(batch, 1) * (length - width);                    // [B, 1]
        var offset = Torch.Torch.Arange(0.0, length, 1.0).Unsqueeze(0) - start;       // [B, L]
        var inside = offset.Ge(0).To(DType.Float32) * (offset - width).Lt(0).To(DType.Float32);
        return 1.0 - inside;
    }

    /// <summary>Layer decay over the model's blocks, or null when it is off or the model has no numbered blocks.</summary>
    public static LayerDecay? LayerDecayFor(Module model, double decay)
    {
        if (decay >= 1.0) return null;
        var hasBlocks = model.NamedParameters().Any(p => p.Key.Split('.').Contains("blocks"));
        return hasBlocks ? LayerDecay.For(model, decay) : null;
    }

    private static int EmbeddingWidth(Module model, Func<Module, Batch, Tensor> embed, LabelledClips clips)
    {
        model.Eval();
        using var noGrad = Torch.Torch.NoGrad();
        using var scope = new TensorScope();
        using var batch = clips.Batch([0]);
        var shape = embed(model, batch).Shape;
        return shape.Length == 2 && shape[0] == 1
            ? checked((int)shape[1])
            : throw new InvalidOperationException($"the spec's embedding must be [B, D], but for one clip it is [{string.Join(", ", shape)}].");
    }

    private static double Accuracy(Module model, Func<Module, Batch, Tensor> embed, Head head, LabelledClips clips)
    {
        model.Eval();
        using var noGrad = Torch.Torch.NoGrad();
        var correct = 0.0;
        for (var start = 0; start < clips.Count; start += ClipEmbedder.DefaultBatchSize)
        {
            using var scope = new TensorScope();
            var indices = Enumerable.Range(start, Math.Min(ClipEmbedder.DefaultBatchSize, clips.Count - start)).ToArray();
            using var batch = clips.Batch(indices);
            var logits = head.Forward(embed(model, batch));
            correct += LinearProbe.Accuracy(logits, clips.LabelTensor(indices)) * indices.Length;
        }
        return correct / clips.Count;
    }

    /// <summary>The classifier on a clip embedding: fixed standardisation, then Linear. Its tensors are owned by <see cref="Run"/>.</summary>
    private sealed record Head(Tensor Shift, Tensor Scale, Tensor Weight, Tensor Bias)
    {
        public Tensor Forward(Tensor embedding) =>                                // [B, D] → [B, C]
            Functional.Linear((embedding - Shift) * Scale, Weight, Bias);
    }
}
