using AvDsl.Runtime.Data;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Training;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Telemetry;

/// <summary>
/// Works out a spec's parameters, FLOPs per training step and activation memory by running ONE forward pass of
/// <see cref="SpecModel.Loss"/> on a random sample (batch 1) under a <see cref="CostCounter"/>, then
/// scaling FLOPs and activation bytes linearly to the plan's batch size. Multi-mask clones and an EMA teacher are
/// counted because they run in that pass; nothing is trained and no gradient is computed.
/// </summary>
public static class StepCost
{
    /// <summary>The sample batch holds random values of each input's per-sample shape (<see cref="TrainingPlan.Features"/>).</summary>
    public static StepCostEstimate Estimate(TrainingPlan plan)
    {
        Torch.Torch.ManualSeed(plan.Seed);
        using var scope = new TensorScope();
        using var model = plan.CreateModel();
        model.Train();
        model.BeforeStep(0, plan.Steps);
        var (batch, source) = SampleBatch(plan);
        using var _ = batch;

        CostCounter counter;
        using (counter = CostCounter.Start())
        using (plan.Precision == Precision.Bf16 ? Torch.Torch.Autocast(DeviceType.Cpu) : null)
            model.Loss(batch);

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

    /// <summary>
    /// The whole run: its batches (<see cref="StepBatches"/>, a <c>flops_budget</c> batch included) and a clip's training
    /// FLOPs counted at 65 points of it (<see cref="PerSampleCost"/>). A run counted in epochs reads how many clips its
    /// manifest lists; null when it cannot know (the manifest is missing).
    /// </summary>
    public static RunCostEstimate? EstimateRun(TrainingPlan plan)
    {
        var clips = plan.Data.Clips() is { } split && File.Exists(split.Path) ? split.Load().Count : (long?)null;
        if (plan.Epochs is not null && clips is null) return null;
        Torch.Torch.ManualSeed(plan.Seed);
        using var scope = new TensorScope();
        using var model = plan.CreateModel();
        model.Train();
        foreach (var (key, parameter) in model.NamedParameters())
            if (ParameterGroup.Of(plan.ParameterGroups, key) is { Frozen: true })
                parameter.RequiresGrad = false;
        var batches = StepBatches.For(plan, model, clips);
        var steps = batches.TotalSteps;
        var cost = batches.Cost ?? PerSampleCost.Count(model, plan.Features, steps);
        double flops = 0;
        long held = 0;
        for (long step = 0; step < steps; step++)
        {
            var batch = batches.At(step);
            held += batch;
            flops += batch * cost.At(step, steps);
        }
        var last = Math.Max(0, steps - 1);
        return new RunCostEstimate(steps, held, batches.At(0), batches.At(last), cost.At(0, steps), cost.At(last, steps), flops);
    }

    /// <summary>Random values of each input's per-sample shape: no data is read.</summary>
    private static (Batch Batch, string Source) SampleBatch(TrainingPlan plan) =>
        (new Batch(plan.Features.ToDictionary(f => f.Input, f => Torch.Torch.Randn([1, .. f.SampleShape.Select(d => (long)d)]))), "features");
}
