using System.Diagnostics;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Benchmarks;

/// <summary>The AvDsl side: a pre-norm ViT encoder, MSE to a fixed random target, AdamW; one TensorScope per step.</summary>
internal sealed class AvDslVit : IDisposable
{
    private readonly Transformer _model;
    private readonly AdamW _optimizer;
    private readonly Tensor _x;
    private readonly Tensor _target;

    public AvDslVit(Options o)
    {
        T.ManualSeed(0);
        _model = new Transformer(o.Dim, o.Depth, o.Heads);
        _optimizer = new AdamW(_model, 1e-4, new OptimizerSettings(Betas: [0.9, 0.95], WeightDecay: 0.05));
        _x = T.Randn(o.Batch, o.Tokens, o.Dim);
        _target = T.Randn(o.Batch, o.Tokens, o.Dim);
    }

    /// <summary>Minor page faults of this process during the timed steps so far.</summary>
    public long MinorFaults { get; private set; }

    /// <summary>Runs <paramref name="warmup"/> untimed then <paramref name="timed"/> timed training steps; returns milliseconds per timed step.</summary>
    public List<double> Steps(int warmup, int timed)
    {
        var times = new List<double>();
        for (var step = 0; step < warmup + timed; step++)
        {
            var faultsBefore = StepTimes.MinorFaults();
            var clock = Stopwatch.StartNew();
            using (new TensorScope())
            {
                _optimizer.ZeroGrad();
                var loss = Functional.MseLoss(_model.Forward(_x), _target);
                loss.Backward();
                _optimizer.Step();
                _ = loss.Item<float>();
            }
            if (step >= warmup)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
                MinorFaults += StepTimes.MinorFaults() - faultsBefore;
            }
        }
        return times;
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
        _x.Dispose();
        _target.Dispose();
    }
}
