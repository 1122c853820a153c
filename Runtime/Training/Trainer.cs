using System.Diagnostics;
using System.Globalization;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.IO;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>Runs a <see cref="TrainingPlan"/>: the training loop, its logs and its checkpoints; resumes an interrupted run.</summary>
public static class Trainer
{
    public const string SpecFileName = "spec.avml";
    public const string MetricsFileName = "metrics.jsonl";
    public const string FinalCheckpointName = "checkpoint-final.safetensors";
    public const string BadInputsFileName = "bad-inputs.log";
    private const string StepCheckpointPrefix = "checkpoint-step-";
    private const string CheckpointExtension = ".safetensors";

    /// <summary>
    /// Seeds libtorch, builds the model (its pretrained teachers read their runs), and trains for
    /// <c>options.Steps ?? plan.Steps</c> steps (one <see cref="TensorScope"/> per step; learning rate from the
    /// schedule; optional global-norm clipping; AdamW), logging each step to metrics.jsonl and <paramref name="onStep"/>. Writes spec.avml first into a new
    /// run directory, a periodic checkpoint-step-N.safetensors as <see cref="RunOptions.CheckpointEvery"/> says
    /// (keeping only the newest), and checkpoint-final.safetensors last (or checkpoint-step-N.safetensors when cancelled).
    /// A step whose loss or gradient is NaN or infinite throws <see cref="NonFiniteLossException"/> before anything more is
    /// written, or is skipped, as <see cref="TrainingPlan.NonFinite"/> says.
    /// </summary>
    public static RunResult Run(TrainingPlan plan, RunOptions options, Action<string>? onRunDirectory = null,
        Action<StepRecord>? onStep = null, CancellationToken cancel = default)
    {
        if (plan.BatchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(plan), $"batch size must be positive, got {plan.BatchSize}.");

        // Created once the model is built and the data opened, so that a bad spec or manifest leaves no empty run behind.
        string CreateDirectory()
        {
            var runDirectory = RunDirectory.Create(options.RunRoot, plan.SpecName, options.RunDirectory);
            onRunDirectory?.Invoke(runDirectory);
            AtomicFile.WriteNewText(Path.Combine(runDirectory, SpecFileName), plan.ResolvedSpec);
            RunSnapshot.Capture(plan, options, options.Project).Write(runDirectory);
            return runDirectory;
        }
        return Train(plan, options, CreateDirectory, resumeFrom: null, onStep, cancel);
    }

    /// <summary>
    /// Continues the run in <paramref name="runDirectory"/> from its newest checkpoint-step-N.safetensors: restores
    /// the model (an EMA teacher included, and a pretrained teacher's weights as the run first loaded them, so the
    /// teacher's run is not read again), AdamW's moments and step, libtorch's CPU generator and the data source's
    /// position, drops any metrics.jsonl lines logged after step N, and trains to the run's recorded length, so the
    /// losses match those of an uninterrupted run bit for bit. Checkpoints are written as in <see cref="Run"/>.
    /// Throws <see cref="RunNotResumableException"/> when the directory's spec.avml is not <paramref name="plan"/>'s
    /// resolved spec, the run already finished, no checkpoint exists, or the seed or length disagree.
    /// <see cref="RunOptions.RunRoot"/> and <see cref="RunOptions.RunDirectory"/> are not used.
    /// </summary>
    public static RunResult Resume(TrainingPlan plan, string runDirectory, RunOptions? options = null, Action<string>? onRunDirectory = null,
        Action<StepRecord>? onStep = null, CancellationToken cancel = default)
    {
        if (plan.BatchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(plan), $"batch size must be positive, got {plan.BatchSize}.");
        options ??= new RunOptions();
        var directory = Path.GetFullPath(runDirectory);
        // --steps counts per stage in a sequence of tasks.
        var point = ResumePoint.Find(plan, directory, options.Steps * Math.Max(1, plan.Stages.Count));
        onRunDirectory?.Invoke(directory);
        return Train(plan, options, () => directory, point, onStep, cancel);
    }

    private static RunResult Train(TrainingPlan plan, RunOptions options, Func<string> openRunDirectory, ResumePoint? resumeFrom,
        Action<StepRecord>? onStep, CancellationToken cancel)
    {
        // Seed before anything draws random numbers: same seed → same initial weights → same losses.
        // A resumed run replays the same initialisation, then overwrites weights and generator from its checkpoint.
        Torch.Torch.ManualSeed(plan.Seed);

        SpecModel model;
        using (new TensorScope()) // temporaries of initialisation; parameters and buffers are not scoped
        {
            model = plan.CreateModel();
            // Before the run directory exists, so that a missing teacher run leaves no empty run behind; a resumed
            // run's checkpoint holds the teachers' weights already.
            if (resumeFrom is null && options.LoadPretrained)
            {
                try
                {
                    model.LoadPretrained();
                }
                catch
                {
                    model.Dispose();
                    throw;
                }
            }
        }
        using var _ = model;
        var device = options.Device ?? Device.Select(plan.Device);
        if (device.Type != DeviceType.Cpu)
            model.To(device);
        model.Train();
        // A stage that does not carry the model starts again from these weights (the same after a resume: same seed).
        using var initialWeights = plan.Stages.Count > 1 && !plan.Carry.Model ? new InitialWeights(model) : null;

        var stages = plan.Stages.Count > 0 ? StageSteps.For(plan, options.Steps, resumeFrom?.TotalSteps) : null;
        var stage = stages?.At(resumeFrom?.Step ?? 0) ?? 0;
        // A data-parallel rank reads its shard of every epoch; the ranks' batches together are the global one.
        var shard = options.Distributed is { } ranks ? new DataShard(ranks.Rank, ranks.WorldSize) : DataShard.Whole;
        var data = stages is null ? plan.OpenData(shard) : plan.Stages[stage].Open(plan.Features, plan.Seed, shard);
        // Rank 0 writes the run; the other ranks train alongside and write nothing.
        var main = options.Distributed?.IsMain ?? true;
        string runDirectory;
        try
        {
            runDirectory = main ? openRunDirectory() : string.Empty;
            // The other ranks learn where it is, to keep their own part of each checkpoint beside rank 0's.
            if (options.Distributed is { } run)
                runDirectory = SharedRunDirectory(run, runDirectory);
        }
        catch
        {
            data.Dispose();
            throw;
        }
        var records = new List<StepRecord>();
        var cancelled = false;
        string checkpointPath;
        try
        {
            var groups = plan.ParameterGroups;
            // Frozen before the optimizer is made, so it holds no state for them and backward computes no gradient.
            foreach (var (key, parameter) in model.NamedParameters())
                if (ParameterGroup.Of(groups, key) is { Frozen: true })
                    parameter.RequiresGrad = false;
            // Every rank starts from rank 0's weights (a resumed run reads them from the one checkpoint).
            if (options.Distributed is { } distributed && resumeFrom is null)
                Distributed.DataParallel.Broadcast(distributed.Group, model);
            using var parallel = options.Distributed is { } d ? new Distributed.DataParallel(d.Group, model.Parameters()) : null;
            var batches = StepBatches.For(plan, model, data.Count, stages?.Total ?? resumeFrom?.TotalSteps ?? options.Steps, device);
            var totalSteps = batches.TotalSteps;
            if (totalSteps < 0)
                throw new ArgumentOutOfRangeException(nameof(options), $"steps must not be negative, got {totalSteps}.");
            var layerDecay = plan.Optimizer.LayerDecay < 1.0 ? LayerDecay.For(model, plan.Optimizer.LayerDecay) : null;
            using var optimizer = new AdamW(model, plan.LearningRate.At(0, totalSteps), plan.Optimizer,
                layerDecay is null && groups is null ? null : key => (layerDecay?.Scale(key) ?? 1.0) * (ParameterGroup.Of(groups, key)?.LearningRateScale ?? 1.0),
                groups is null ? null : key => ParameterGroup.Of(groups, key)?.WeightDecay);
            var metricsPath = Path.Combine(runDirectory, MetricsFileName);
            long firstStep = 0;
            if (resumeFrom is not null)
            {
                // At a stage's first step the checkpoint holds the finished stage's data position; this stage reads afresh.
                var startsStage = stages is not null && resumeFrom.Step == stages.First(stage);
                var worldSize = options.Distributed?.WorldSize ?? 1;
                if (resumeFrom.WorldSize != worldSize)
                    throw new RunNotResumableException(
                        $"'{resumeFrom.Path}' was written by {Processes(resumeFrom.WorldSize)} and this resume runs {Processes(worldSize)}; each process keeps its own data position and replay buffers, so resume it with --nproc {resumeFrom.WorldSize}.");
                firstStep = Checkpoint.Restore(resumeFrom.Path, model, optimizer, startsStage ? null : data);
                RestoreReplayBuffers(model, resumeFrom.Path);
                if (options.Distributed is { IsMain: false } other)
                {
                    // Rank 0's generator and data position were just loaded; this rank's own replace them.
                    var own = RankStateName(resumeFrom.Path, other.Rank);
                    if (!File.Exists(own))
                        throw new RunNotResumableException($"'{resumeFrom.Path}' has no '{Path.GetFileName(own)}' beside it, so rank {other.Rank}'s data position cannot be restored; resume from a checkpoint that has one, or start the run again.");
                    Checkpoint.RestoreRankState(own, firstStep, startsStage ? null : data);
                    RestoreReplayBuffers(model, own);
                }
                if (main)
                    MetricsWriter.TruncateAfter(metricsPath, firstStep);
            }

            using var metrics = main ? new MetricsWriter(metricsPath) : null;
            using var events = !main ? null : resumeFrom is null
                ? TensorBoardWriter.Start(runDirectory, plan, options.Hyperparameters)
                : TensorBoardWriter.Resume(runDirectory, firstStep);
            var sinceCheckpoint = Stopwatch.StartNew();
            var step = firstStep;
            for (; step < totalSteps; step++)
            {
                if (cancel.IsCancellationRequested)
                {
                    cancelled = true;
                    break;
                }
                if (stages is not null && stages.At(step) != stage)
                {
                    if (main && data.BadInputs.Count > 0)
                        WriteBadInputs(Path.Combine(runDirectory, BadInputsFileName), data.BadInputs);
                    data.Dispose();
                    stage = stages.At(step);
                    data = plan.Stages[stage].Open(plan.Features, plan.Seed, shard);
                }
                if (stages is not null && stage > 0 && step == stages.First(stage))
                    StartStage(plan, model, optimizer, initialWeights);
                var record = TrainStep(plan, model, optimizer, data, batches, step, totalSteps, device, options.CountFlops, options.Distributed, parallel, out var bad);
                // Every rank decides alike (averaged loss and gradients), so every rank stops here, before any checkpoint.
                if (bad is not null && plan.NonFinite == NonFinitePolicy.Stop)
                    throw new NonFiniteLossException(bad, LastStepCheckpoint(runDirectory, step), plan.ClipGradNorm);
                if (stages is not null)
                    record = record with { Stage = stage + 1 };
                records.Add(record);
                metrics?.Write(record);
                events?.Write(record);
                onStep?.Invoke(record);
                if (main && stages is not null && step + 1 == stages.End(stage))
                    WriteStageCheckpoint(plan, runDirectory, model, stage, step + 1, totalSteps);
                // A time-based interval is read on rank 0 and shared, so that every rank checkpoints at the same step.
                if (step + 1 < totalSteps && Agreed(options.Distributed, options.CheckpointEvery.IsDue(step + 1, sinceCheckpoint.Elapsed)))
                {
                    WriteStepCheckpoint(plan, runDirectory, model, optimizer, data, step + 1, totalSteps, options.Distributed);
                    sinceCheckpoint.Restart();
                }
            }

            checkpointPath = cancelled
                ? WriteStepCheckpoint(plan, runDirectory, model, optimizer, data, step, totalSteps, options.Distributed)
                : main
                    ? WriteCheckpoint(plan, Path.Combine(runDirectory, FinalCheckpointName), model, optimizer, data, step, totalSteps, options.Distributed)
                    : string.Empty;
            events?.End(completed: !cancelled);
        }
        finally
        {
            // Also when too many bad files stopped the run: the log says which and why.
            if (main && data.BadInputs.Count > 0)
                WriteBadInputs(Path.Combine(runDirectory, BadInputsFileName), data.BadInputs);
            data.Dispose();
        }
        return new RunResult(runDirectory, records, checkpointPath) { Cancelled = cancelled };
    }

    /// <summary>What a stage does not carry from the one before starts afresh. Replay buffers are the model's: it empties them.</summary>
    private static void StartStage(TrainingPlan plan, SpecModel model, AdamW optimizer, InitialWeights? initialWeights)
    {
        initialWeights?.Restore(model);
        if (!plan.Carry.Optimizer)
            optimizer.Reset();
        if (!plan.Carry.Buffer)
            foreach (var buffer in model.ReplayBuffers.Values)
                buffer.Clear();
    }

    /// <summary>"checkpoint-step-N.replay-memory.safetensors": buffer <paramref name="name"/> as it stood at that checkpoint.</summary>
    public static string ReplayFileName(string checkpointPath, string name) =>
        Path.ChangeExtension(checkpointPath, null) + $".replay-{name}{CheckpointExtension}";

    /// <summary>Every replay buffer as the checkpoint left it; a missing, damaged or foreign buffer file stops the resume.</summary>
    private static void RestoreReplayBuffers(SpecModel model, string checkpointPath)
    {
        foreach (var (name, buffer) in model.ReplayBuffers)
        {
            var path = ReplayFileName(checkpointPath, name);
            if (!File.Exists(path))
                throw new RunNotResumableException($"'{checkpointPath}' has no replay buffer file '{Path.GetFileName(path)}' beside it, so the samples buffer `{name}` held cannot be restored; resume from a checkpoint that has one, or start the run again.");
            buffer.Load(path);
        }
    }

    /// <summary>checkpoint-stage-K.safetensors: the model after stage K (1-based), which continual evaluation reads; kept.</summary>
    private static void WriteStageCheckpoint(TrainingPlan plan, string runDirectory, Module model, int stage, long step, long totalSteps)
    {
        var path = Path.Combine(runDirectory, StageCheckpointName(stage + 1));
        if (!File.Exists(path))
            Checkpoint.Write(path, model, optimizer: null, step, plan.SpecName, plan.ResolvedSpec, plan.Seed, totalSteps, variantOf: plan.VariantOf);
    }

    /// <summary>"checkpoint-stage-K.safetensors": the model after stage K (1-based) of a sequence of tasks.</summary>
    public static string StageCheckpointName(int stage) => $"checkpoint-stage-{stage.ToString(CultureInfo.InvariantCulture)}{CheckpointExtension}";

    /// <summary>
    /// checkpoint-step-<paramref name="step"/>.safetensors, then removes the older step checkpoints: a run keeps only
    /// its newest one (plus the final). When that file exists already (a run cancelled at a step it had just
    /// checkpointed, or at the step it resumed from), it holds this very state and is kept as it is. In a data-parallel
    /// run every other rank first writes its own part beside it (<see cref="RankStateName"/>), and rank 0 writes the
    /// checkpoint only once they all have, so a checkpoint on disk is always whole.
    /// </summary>
    private static string WriteStepCheckpoint(TrainingPlan plan, string runDirectory, Module model, AdamW optimizer, IBatchSource data, long step,
        long totalSteps, Distributed.DistributedRun? distributed = null)
    {
        var path = Path.Combine(runDirectory, StepCheckpointName(step));
        if (distributed is { IsMain: false })
        {
            var own = RankStateName(path, distributed.Rank);
            WriteReplayBuffers(model, own);
            if (!File.Exists(own))
                Checkpoint.WriteRankState(own, step, data.StateDict());
        }
        distributed?.Barrier.Wait();
        if (distributed is { IsMain: false })
            return path;
        // The buffers first: a checkpoint on disk always has its buffers beside it.
        WriteReplayBuffers(model, path);
        if (!File.Exists(path))
            WriteCheckpoint(plan, path, model, optimizer, data, step, totalSteps, distributed);
        foreach (var (older, olderStep) in StepCheckpoints(runDirectory))
            if (olderStep < step)
            {
                File.Delete(older);
                // Its replay buffers and the other ranks' parts: checkpoint-step-M.*.safetensors.
                foreach (var part in Directory.EnumerateFiles(runDirectory, Path.GetFileNameWithoutExtension(older) + ".*" + CheckpointExtension))
                    File.Delete(part);
            }
        return path;
    }

    private static void WriteReplayBuffers(Module model, string checkpointPath)
    {
        if (model is SpecModel spec)
            foreach (var (name, buffer) in spec.ReplayBuffers)
                if (!File.Exists(ReplayFileName(checkpointPath, name)))
                    buffer.Save(ReplayFileName(checkpointPath, name));
    }

    /// <summary>"checkpoint-step-N.rank-R.safetensors": rank R's own generator and data position at that checkpoint.</summary>
    public static string RankStateName(string checkpointPath, int rank) =>
        Path.ChangeExtension(checkpointPath, null) + $".rank-{rank.ToString(CultureInfo.InvariantCulture)}{CheckpointExtension}";

    /// <summary>Rank 0's run directory, on every rank (one process: its own).</summary>
    private static string SharedRunDirectory(Distributed.DistributedRun distributed, string runDirectory)
    {
        const string key = "avdsl/run-directory";
        if (distributed.IsMain)
            distributed.Store.Set(key, runDirectory);
        return distributed.Store.Get(key);
    }

    private static string WriteCheckpoint(TrainingPlan plan, string path, Module model, AdamW optimizer, IBatchSource data, long step, long totalSteps,
        Distributed.DistributedRun? distributed = null)
    {
        Checkpoint.Write(path, model, optimizer, step, plan.SpecName, plan.ResolvedSpec, plan.Seed, totalSteps,
            data.StateDict(), plan.VariantOf, distributed?.WorldSize ?? 1);
        return path;
    }

    private static string Processes(int count) => count == 1 ? "one process" : $"{count.ToString(CultureInfo.InvariantCulture)} processes";

    /// <summary>"checkpoint-step-N.safetensors".</summary>
    public static string StepCheckpointName(long step) => $"{StepCheckpointPrefix}{step.ToString(CultureInfo.InvariantCulture)}{CheckpointExtension}";

    /// <summary>The run directory's checkpoint-step-N.safetensors files with their N (in no particular order).</summary>
    public static IEnumerable<(string Path, long Step)> StepCheckpoints(string runDirectory)
    {
        foreach (var path in Directory.EnumerateFiles(runDirectory, $"{StepCheckpointPrefix}*{CheckpointExtension}"))
        {
            var name = Path.GetFileName(path);
            var number = name[StepCheckpointPrefix.Length..^CheckpointExtension.Length];
            if (long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var step))
                yield return (path, step);
        }
    }

    /// <summary>The newest checkpoint-step-N.safetensors with N at most <paramref name="step"/>, or null. Every rank can name
    /// it: the other ranks keep their parts in rank 0's directory.</summary>
    private static string? LastStepCheckpoint(string runDirectory, long step) =>
        !Directory.Exists(runDirectory) ? null
            : StepCheckpoints(runDirectory).Where(c => c.Step <= step).OrderByDescending(c => c.Step).Select(c => c.Path).FirstOrDefault();

    /// <summary>One step; <paramref name="bad"/> is set, and nothing is updated, when its loss or a gradient is not finite.</summary>
    private static StepRecord TrainStep(TrainingPlan plan, SpecModel model, AdamW optimizer, IBatchSource data, StepBatches batches,
        long step, long totalSteps, Device device, bool countFlops, Distributed.DistributedRun? distributed, Distributed.DataParallel? parallel,
        out NonFiniteStep? bad)
    {
        var clock = Stopwatch.StartNew();
        using var scope = new TensorScope();
        var batchSize = batches.At(step);
        var learningRate = plan.LearningRate.At(step, totalSteps) * plan.LearningRateScaling.Factor(batchSize, batches.At(0));
        model.BeforeStep(step, totalSteps);
        optimizer.LearningRate = learningRate;

        var share = Share(batchSize, distributed);
        var waited = clock.Elapsed;
        using var local = data.Next((int)share.Samples);
        waited = clock.Elapsed - waited;
        // Data is produced on the CPU; a GPU run copies each input over (the copies join this step's scope).
        using var batch = device.Type == DeviceType.Cpu
            ? null
            : new Batch(local.Inputs.ToDictionary(name => name, name => local[name].To(device)));
        LossTerms loss;
        long? flops = null;
        // bf16 runs the forward pass under autocast; backward and the optimizer stay in fp32 as in PyTorch AMP.
        using (plan.Precision == Precision.Bf16 ? Torch.Torch.Autocast(device.Type) : null)
        using (var counter = countFlops ? CostCounter.Start() : null)
        using (share.Use())
        using (SampleRandom.Begin(plan.Seed, step))
        {
            loss = model.Loss(batch ?? local);
            flops = counter?.TrainingFlops;
        }
        optimizer.ZeroGrad();
        parallel?.PrepareForBackward();
        loss.Total.Backward();
        // What backward left of the all-reduce: the exposed communication.
        var exchanging = Stopwatch.StartNew();
        parallel?.AverageGradients();
        // The loss is averaged before the update so that every rank judges it, as the gradients, by the same numbers.
        var values = GlobalMean(distributed, [loss.Total, .. loss.Terms.Select(t => t.Value)]);
        var communication = exchanging.Elapsed;
        var total = values[0];
        var terms = new Dictionary<string, double>();
        for (var i = 0; i < loss.Terms.Count; i++)
            terms[loss.Terms[i].Key] = values[i + 1];

        var badParameter = FirstNonFiniteGradient(model);
        bad = badParameter is not null || !values.All(double.IsFinite) ? new NonFiniteStep(step + 1, total, terms, badParameter) : null;
        if (bad is null)
        {
            if (plan.ClipGradNorm is { } maxNorm)
                GradientClipping.ClipByGlobalNorm(model.Parameters(), maxNorm);
            optimizer.Step();
            model.AfterStep(step, totalSteps);
            loss.Remember?.Invoke();
        }
        else
        {
            // A skipped step leaves nothing behind: no update, no EMA move, no samples offered to replay buffers.
            optimizer.ZeroGrad();
        }
        return new StepRecord(step + 1, total, learningRate, clock.Elapsed.TotalMilliseconds, terms, totalSteps, waited.TotalMilliseconds)
        {
            Batch = batchSize,
            Flops = flops,
            CommunicationMs = distributed is null ? 0 : communication.TotalMilliseconds,
            Skipped = bad is not null,
        };
    }

    /// <summary>The name of the first parameter (in <see cref="Module.NamedParameters"/> order) whose gradient holds a NaN or
    /// an infinity; null when every gradient is finite.</summary>
    private static string? FirstNonFiniteGradient(Module model)
    {
        using var noGrad = new GradModeScope(enabled: false);
        using var scope = new TensorScope();
        var grads = new List<(string Name, Tensor Grad)>();
        foreach (var (name, parameter) in model.NamedParameters())
            if (parameter.Grad is { } grad)
                grads.Add((name, grad));
        if (grads.Count == 0)
            return null;
        // One read of every gradient and one sync per step: a sum is NaN or infinite whenever an element is.
        if (double.IsFinite(Torch.Torch.Stack(grads.Select(g => g.Grad.Sum().To(DType.Float64))).Sum().Item<double>()))
            return null;
        // Only now look element by element; a sum can also overflow with every element finite.
        foreach (var (name, grad) in grads)
            if (!grad.IsFinite().AllTrue().Item<bool>())
                return name;
        return null;
    }

    /// <summary>This process's rows of a global batch of <paramref name="batchSize"/>: rank r of N the r-th of N equal shares.</summary>
    private static BatchShare Share(int batchSize, Distributed.DistributedRun? distributed)
    {
        if (distributed is null)
            return new BatchShare(0, 1, batchSize);
        if (batchSize % distributed.WorldSize != 0)
            throw new InvalidOperationException(
                $"a batch of {batchSize} does not split into {distributed.WorldSize} equal shares; give `batch` a multiple of the number of processes.");
        return new BatchShare(distributed.Rank, distributed.WorldSize, batchSize / distributed.WorldSize);
    }

    /// <summary>The values' means over the ranks (each rank's loss is the mean over its equal share, so this is the global
    /// batch's), or the values themselves in one process.</summary>
    private static double[] GlobalMean(Distributed.DistributedRun? distributed, IReadOnlyList<Tensor> values)
    {
        var local = values.Select(v => v.Item<double>()).ToArray();
        if (distributed is null) return local;
        using var scope = new TensorScope();
        var sum = Torch.Torch.FromArray(local, local.Length);
        distributed.Group.AllReduceSum_(sum);
        return sum.ToArray<double>().Select(v => v / distributed.WorldSize).ToArray();
    }

    /// <summary>Rank 0's decision, on every rank (one process: the decision).</summary>
    private static bool Agreed(Distributed.DistributedRun? distributed, bool decision)
    {
        if (distributed is null) return decision;
        using var scope = new TensorScope();
        var flag = Torch.Torch.FromArray(new long[] { decision ? 1 : 0 }, 1);
        distributed.Group.Broadcast_(0, flag);
        return flag.ToArray<long>()[0] != 0;
    }

    /// <summary>The files the run found unusable, one per line; a resumed run adds its own to those already listed.</summary>
    private static void WriteBadInputs(string path, BadInputLog badInputs)
    {
        var lines = File.Exists(path) ? File.ReadAllLines(path).ToList() : [];
        var listed = lines.Select(l => l.Split('\t') is [_, var file, ..] ? file : l).ToHashSet();
        foreach (var bad in badInputs.Items)
            if (listed.Add(bad.Path))
                lines.Add($"{bad.Reason}\t{bad.Path}\t{bad.Message.ReplaceLineEndings(" ")}");
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream);
            foreach (var line in lines)
                writer.Write(line + "\n");
        });
    }
}
