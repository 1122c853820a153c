using System.Diagnostics;
using System.Globalization;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Telemetry;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>Runs a <see cref="TrainingPlan"/>: the training loop, its logs and its checkpoint.</summary>
public static class Trainer
{
    public const string SpecFileName = "spec.avml";
    public const string MetricsFileName = "metrics.jsonl";
    public const string FinalCheckpointName = "checkpoint-final.safetensors";
    public const string BadInputsFileName = "bad-inputs.log";

    /// <summary>
    /// Seeds libtorch, builds the model, and trains for <c>options.Steps ?? plan.Steps</c> steps (one
    /// <see cref="TensorScope"/> per step; learning rate from the schedule; optional global-norm clipping;
    /// AdamW), logging each step to metrics.jsonl and <paramref name="onStep"/>. Writes spec.avml first and
    /// checkpoint-final.safetensors last (or checkpoint-step-N.safetensors when cancelled) into a new run directory.
    /// </summary>
    public static RunResult Run(TrainingPlan plan, RunOptions options, Action<string>? onRunDirectory = null,
        Action<StepRecord>? onStep = null, CancellationToken cancel = default)
    {
        if (plan.BatchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(plan), $"batch size must be positive, got {plan.BatchSize}.");

        // Seed before anything draws random numbers: same seed → same initial weights → same losses.
        Torch.Torch.ManualSeed(plan.Seed);

        var runDirectory = RunDirectory.Create(options.RunRoot, plan.SpecName, options.RunDirectory);
        onRunDirectory?.Invoke(runDirectory);
        WriteTextAtomically(Path.Combine(runDirectory, SpecFileName), plan.ResolvedSpec);

        Module model;
        using (new TensorScope()) // temporaries of initialisation; parameters and buffers are not scoped
            model = plan.CreateModel();
        using var _ = model;
        var device = options.Device ?? Device.Select(plan.Device);
        if (device.Type != DeviceType.Cpu)
            model.To(device);
        model.Train();

        var data = plan.CreateData(plan.Seed);
        var totalSteps = options.Steps ?? (plan.Epochs is { } epochs ? StepsFor(epochs, data, plan.BatchSize) : plan.Steps);
        if (totalSteps < 0)
            throw new ArgumentOutOfRangeException(nameof(options), $"steps must not be negative, got {totalSteps}.");
        var layerDecay = plan.Optimizer.LayerDecay < 1.0 ? LayerDecay.For(model, plan.Optimizer.LayerDecay) : null;
        using var optimizer = new AdamW(model, plan.LearningRate.At(0, totalSteps), plan.Optimizer, layerDecay is null ? null : layerDecay.Scale);
        using var metrics = new MetricsWriter(Path.Combine(runDirectory, MetricsFileName));
        var records = new List<StepRecord>();
        var cancelled = false;
        try
        {
            for (long step = 0; step < totalSteps; step++)
            {
                if (cancel.IsCancellationRequested)
                {
                    cancelled = true;
                    break;
                }
                var record = TrainStep(plan, model, optimizer, data, step, totalSteps, device);
                records.Add(record);
                metrics.Write(record);
                onStep?.Invoke(record);
            }
        }
        finally
        {
            // Also when too many bad files stopped the run: the log says which and why.
            if (data is MediaBatchLoader { BadInputs.Count: > 0 } loader)
                WriteTextAtomically(Path.Combine(runDirectory, BadInputsFileName),
                    string.Concat(loader.BadInputs.Items.Select(b => $"{b.Reason}\t{b.Path}\t{b.Message.ReplaceLineEndings(" ")}\n")));
            (data as IDisposable)?.Dispose();
        }

        var checkpointName = cancelled
            ? $"checkpoint-step-{optimizer.StepCount.ToString(CultureInfo.InvariantCulture)}.safetensors"
            : FinalCheckpointName;
        var checkpointPath = Path.Combine(runDirectory, checkpointName);
        Checkpoint.Write(checkpointPath, model, optimizer, optimizer.StepCount, plan.SpecName, plan.ResolvedSpec, plan.Seed);
        return new RunResult(runDirectory, records, checkpointPath) { Cancelled = cancelled };
    }

    /// <summary>Steps in <paramref name="epochs"/> passes over a manifest: the last batch of a pass is completed from the next.</summary>
    private static long StepsFor(long epochs, IBatchSource data, int batchSize) => data is MediaBatchLoader loader
        ? (long)Math.Ceiling(epochs * loader.Count / (double)batchSize)
        : throw new ArgumentException($"epochs need a data source of known size; {data.GetType().Name} has none, so count the run in steps.");

    private static StepRecord TrainStep(TrainingPlan plan, Module model, AdamW optimizer, IBatchSource data, long step, long totalSteps, Device device)
    {
        var clock = Stopwatch.StartNew();
        using var scope = new TensorScope();
        var learningRate = plan.LearningRate.At(step, totalSteps);
        plan.BeforeStep?.Invoke(model, step, totalSteps);
        optimizer.LearningRate = learningRate;

        var batchSize = plan.BatchSchedule is { } schedule ? (int)Math.Round(schedule.At(step, totalSteps)) : plan.BatchSize;
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(plan), $"the batch schedule gives {batchSize} examples at step {step}; a batch needs at least one.");
        using var hostBatch = data.Next(batchSize);
        // Data is produced on the CPU; a GPU run copies each input over (the copies join this step's scope).
        using var batch = device.Type == DeviceType.Cpu
            ? hostBatch
            : new Batch(hostBatch.Inputs.ToDictionary(name => name, name => hostBatch[name].To(device)));
        LossTerms loss;
        // bf16 runs the forward pass under autocast; backward and the optimizer stay in fp32 as in PyTorch AMP.
        using (plan.Precision == "bf16" ? Torch.Torch.Autocast(device.Type) : null)
            loss = plan.ComputeLoss(model, batch);
        optimizer.ZeroGrad();
        loss.Total.Backward();
        if (plan.ClipGradNorm is { } maxNorm)
            GradientClipping.ClipByGlobalNorm(model.Parameters(), maxNorm);
        optimizer.Step();
        plan.AfterStep?.Invoke(model, step, totalSteps);

        var total = loss.Total.Item<double>();
        var terms = new Dictionary<string, double>();
        foreach (var (name, value) in loss.Terms)
            terms[name] = value.Item<double>();
        return new StepRecord(step + 1, total, learningRate, clock.Elapsed.TotalMilliseconds, terms, totalSteps);
    }

    private static void WriteTextAtomically(string path, string text)
    {
        if (File.Exists(path))
            throw new IOException($"'{path}' already exists; refusing to overwrite it.");
        var temporary = path + $".{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: false);
    }
}
