using AvDsl.Runtime.Data;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>
/// A model's training FLOPs (matrix products, forward + backward, <see cref="CostCounter"/>'s rule) for one clip at
/// evenly spaced steps of a run, counted by running its loss on one random clip with the schedules at each of those
/// steps; between two counted steps the cost is interpolated linearly. What moves it is what schedules move: a masking
/// ratio changes how many tokens the encoders and decoders see.
/// </summary>
public sealed class PerSampleCost
{
    /// <summary>Intervals the run is cut into: 65 counted steps are enough for a smooth curriculum and cheap at any size.</summary>
    public const int Intervals = 64;

    private readonly double[] _progress;
    private readonly double[] _flops;

    public PerSampleCost(IReadOnlyList<double> progress, IReadOnlyList<double> flops)
    {
        if (progress.Count == 0 || progress.Count != flops.Count || flops.Any(f => !(f > 0)))
            throw new ArgumentException("a per-sample cost needs as many positive FLOP counts as points, at least one.");
        _progress = progress.ToArray();
        _flops = flops.ToArray();
    }

    /// <summary>The counted points: the share of the run done, and a clip's training FLOPs there.</summary>
    public IReadOnlyList<(double Progress, double Flops)> Points => _progress.Zip(_flops).ToList();

    /// <summary>A clip's training FLOPs at <paramref name="step"/> of a run of <paramref name="totalSteps"/>.</summary>
    public double At(long step, long totalSteps)
    {
        var p = totalSteps <= 0 ? 1.0 : Math.Clamp(step / (double)totalSteps, 0.0, 1.0);
        if (p <= _progress[0]) return _flops[0];
        for (var i = 1; i < _progress.Length; i++)
        {
            if (p > _progress[i]) continue;
            var span = _progress[i] - _progress[i - 1];
            return span <= 0 ? _flops[i] : _flops[i - 1] + (_flops[i] - _flops[i - 1]) * (p - _progress[i - 1]) / span;
        }
        return _flops[^1];
    }

    /// <summary>
    /// Counts <paramref name="model"/> (in training mode, its frozen parameters already frozen) at steps
    /// round(i · totalSteps / 64) of a run of <paramref name="totalSteps"/>. Random numbers drawn for the count (inputs,
    /// masks) come from libtorch's default generator, whose state is put back afterwards, so counting changes no loss
    /// of the run. Each distinct step is counted once, and only the first when the model has no scheduled argument.
    /// </summary>
    public static PerSampleCost Count(SpecModel model, IReadOnlyList<IClipFeatures> features, long totalSteps, Device? device = null)
    {
        // Without scheduled arguments the first step stands for them all.
        var steps = !model.HasScheduledArguments ? [0L] : Enumerable.Range(0, Intervals + 1)
            .Select(i => totalSteps <= 0 ? 0L : (long)Math.Round(i * (double)totalSteps / Intervals))
            .Distinct()
            .ToList();
        var rng = Torch.Torch.GetRngState();
        try
        {
            var flops = new List<double>();
            foreach (var step in steps)
            {
                using var scope = new TensorScope();
                model.BeforeStep(step, totalSteps);
                var inputs = features.ToDictionary(f => f.Input, f =>
                {
                    var sample = Torch.Torch.Randn([1, .. f.SampleShape.Select(d => (long)d)]);
                    return device is { Type: not DeviceType.Cpu } d ? sample.To(d) : sample;
                });
                using var batch = new Batch(inputs);
                using var counter = CostCounter.Start();
                model.Loss(batch);
                flops.Add(counter.TrainingFlops);
            }
            return new PerSampleCost(steps.Select(s => totalSteps <= 0 ? 0.0 : s / (double)totalSteps).ToList(), flops);
        }
        finally
        {
            Torch.Torch.SetRngState(rng);
            rng.Dispose();
        }
    }
}
