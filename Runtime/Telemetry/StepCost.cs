using AvDsl.Runtime.Data;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Training;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Telemetry;

/// <summary>
/// Works out a spec's parameters, FLOPs per training step and activation memory by running ONE forward pass of
/// <see cref="TrainingPlan.ComputeLoss"/> on a random sample (batch 1) under a <see cref="CostCounter"/>, then
/// scaling FLOPs and activation bytes linearly to the plan's batch size. Multi-mask clones and an EMA teacher are
/// counted because they run in that pass; nothing is trained and no gradient is computed.
/// </summary>
public static class StepCost
{
    /// <summary>The sample batch comes from <see cref="TrainingPlan.Features"/> (random values of each input's
    /// per-sample shape) when the plan has them, else from one batch of the plan's data (synthetic specs).</summary>
    public static StepCostEstimate Estimate(TrainingPlan plan)
    {
        Torch.Torch.ManualSeed(plan.Seed);
        using var scope = new TensorScope();
        using var model = plan.CreateModel();
        model.Train();
        plan.BeforeStep?.Invoke(model, 0, plan.Steps);
        var (batch, source) = SampleBatch(plan);
        using var _ = batch;

        CostCounter counter;
        using (counter = CostCounter.Start())
        using (plan.Precision == "bf16" ? Torch.Torch.Autocast(DeviceType.Cpu) : null)
            plan.ComputeLoss(model, batch);

        var parameters = model.Parameters().ToList();
        long trainable = 0, frozen = 0, parameterBytes = 0;
        foreach (var parameter in parameters)
        {
            if (parameter.RequiresGrad) trainable += parameter.NumElements;
            else frozen += parameter.NumElements;
            parameterBytes += parameter.ByteCount;
        }
        long batchSize = plan.BatchSize;
        return new StepCostEstimate(
            plan.SpecName,
            plan.BatchSize,
            trainable,
            frozen,
            parameterBytes,
            counter.ForwardFlops * batchSize,
            counter.TrainingFlops * batchSize,
            counter.NoGradFlops * batchSize,
            counter.ElementwiseFlops * batchSize,
            counter.ActivationBytes * batchSize,
            source);
    }

    private static (Batch Batch, string Source) SampleBatch(TrainingPlan plan)
    {
        if (plan.Features is { Count: > 0 } features)
        {
            var inputs = features.ToDictionary(f => f.Input, f => Torch.Torch.Randn([1, .. f.SampleShape.Select(d => (long)d)]));
            return (new Batch(inputs), "features");
        }
        IBatchSource data;
        try
        {
            data = plan.CreateData(plan.Seed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ManifestException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"{plan.SpecName}: its plan lists no input features, and its data could not be opened to take one sample ({e.Message}).", e);
        }
        try
        {
            return (data.Next(1), "data");
        }
        finally
        {
            (data as IDisposable)?.Dispose();
        }
    }
}
