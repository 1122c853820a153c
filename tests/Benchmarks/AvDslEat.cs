using System.Diagnostics;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using AvDsl.Specs;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Benchmarks;

/// <summary>
/// The AvDsl side of the EAT-tiny benchmark: the generated code of spec EatTiny (<see cref="EatTinySpec.Plan"/>),
/// stepped as <see cref="Trainer"/> steps it — one TensorScope per step, the learning rate from the schedule, the
/// plan's loss, backward, global-norm clipping, AdamW, then the plan's AfterStep (the EMA teacher) — on a fixed
/// random fbank-shaped batch, so no data loading is timed.
/// </summary>
internal sealed class AvDslEat : IAvDslStep
{
    /// <summary>The run length the schedules see (learning-rate warm-up, EMA decay ramp); steps are taken from <see cref="FirstStep"/>.</summary>
    public const long TotalSteps = 1000;
    private const long FirstStep = 200;

    private readonly TrainingPlan _plan;
    private readonly EatTinyModel _model;
    private readonly AdamW _optimizer;
    private readonly Batch _batch;
    private long _step = FirstStep;

    public AvDslEat(Options o, Func<long[], Tensor>? input = null)
    {
        _plan = EatTinySpec.Plan(EatTinyConfig.Default with { Train = EatTinyConfig.Default.Train with { Batch = o.Batch } });
        T.ManualSeed(_plan.Seed);
        using (new TensorScope())
            _model = (EatTinyModel)_plan.CreateModel();
        _model.Train();
        _optimizer = new AdamW(_model, _plan.LearningRate.At(FirstStep, TotalSteps), _plan.Optimizer);
        var audio = EatTinyConfig.Default.Audio;
        long[] shape = [_plan.BatchSize, audio.Frames, audio.Mel];               // [8, 256, 128]
        _batch = new Batch(new Dictionary<string, Tensor> { ["audio"] = input?.Invoke(shape) ?? T.Randn(shape) });
    }

    public EatTinyModel Model => _model;

    public long TrainedParameters => ParameterCounts().Trained;

    /// <summary>Parameters the optimizer trains (the student: patches, cls, encoder, decoder) and the EMA teacher's.</summary>
    public (long Trained, long Teacher) ParameterCounts() =>
        (_model.Parameters().Where(p => p.RequiresGrad).Sum(p => p.NumElements), _model.Teacher.Parameters().Sum(p => p.NumElements));

    /// <summary>The loss terms of one forward pass on the batch, without a step.</summary>
    public (double Frame, double Utterance) Loss()
    {
        using var scope = new TensorScope();
        var loss = _model.Loss(_batch);
        return (loss.Terms.Single(t => t.Key == "frame").Value.Item<double>(), loss.Terms.Single(t => t.Key == "utterance").Value.Item<double>());
    }

    /// <summary>Runs <paramref name="warmup"/> untimed then <paramref name="timed"/> timed training steps; returns milliseconds per timed step.</summary>
    public List<double> Steps(int warmup, int timed)
    {
        var times = new List<double>();
        for (var i = 0; i < warmup + timed; i++)
        {
            var clock = Stopwatch.StartNew();
            Step();
            if (i >= warmup)
                times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times;
    }

    /// <summary>One training step as <see cref="Trainer"/> takes it (without the metrics file).</summary>
    private void Step()
    {
        using var scope = new TensorScope();
        _optimizer.LearningRate = _plan.LearningRate.At(_step, TotalSteps);
        var loss = _model.Loss(_batch);
        _optimizer.ZeroGrad();
        loss.Total.Backward();
        if (_plan.ClipGradNorm is { } maxNorm)
            GradientClipping.ClipByGlobalNorm(_model.Parameters(), maxNorm);
        _optimizer.Step();
        _model.AfterStep(_step, TotalSteps);
        _ = loss.Total.Item<double>();
        foreach (var (_, term) in loss.Terms)
            _ = term.Item<double>();
        _step++;
    }

    /// <summary>
    /// Milliseconds per phase, summed over <paramref name="steps"/> steps. The forward pass is split by calling the
    /// generated model's components in the order its Forward calls them (so this pass is not the generated Forward
    /// itself; its total is checked against the timed steps).
    /// </summary>
    public Dictionary<string, double> Phases(int steps)
    {
        var phases = new Dictionary<string, double>();
        var clock = new Stopwatch();
        void Lap(string phase)
        {
            phases[phase] = phases.GetValueOrDefault(phase) + clock.Elapsed.TotalMilliseconds;
            clock.Restart();
        }
        var m = _model;
        for (var i = 0; i < steps; i++)
        {
            using var scope = new TensorScope();
            clock.Restart();
            _optimizer.LearningRate = _plan.LearningRate.At(_step, TotalSteps);
            var audio = _batch["audio"];
            var tokens = m.Patches.Forward(audio) + m.Pos.Forward();
            var view = m.ViewInverseBlockMask.Forward(tokens);
            Lap("patch embed + mask");
            var student = m.Encoder.Forward(m.Cls.Forward(view.Visible));
            Lap("student encoder");
            var pred = m.Decoder.Forward(Tokens.DropCls(student), view);
            Lap("decoder");
            var layers = m.Teacher.Encoder.ForwardLayers(m.Teacher.Cls.Forward(m.Teacher.Patches.Forward(audio) + m.Pos.Forward()));
            var c = EatTinyConfig.Default;
            var target = TeacherTargets.LayerAverage(layers, c.TargetLayerAverage.Top, c.TargetLayerAverage.Skip);
            Lap("teacher + targets");
            var frames = Tokens.RepeatInterleave(target, c.Clones);
            var clip = Tokens.RepeatInterleave(Tokens.MeanTokens(target), c.Clones);
            var frame = Losses.Mse(pred[view.Masked], frames[view.Masked], MseReduction.RowSum) / Math.Sqrt(m.Encoder.Dim);
            var utterance = Losses.Mse(Tokens.TakeCls(student), clip, MseReduction.Sum) / Math.Sqrt(m.Encoder.Dim);
            var total = frame + utterance;
            Lap("loss");
            _optimizer.ZeroGrad();
            total.Backward();
            Lap("backward");
            GradientClipping.ClipByGlobalNorm(m.Parameters(), _plan.ClipGradNorm ?? double.PositiveInfinity);
            Lap("clip");
            _optimizer.Step();
            Lap("adamw");
            m.AfterStep(_step, TotalSteps);
            Lap("ema");
            _ = total.Item<double>();
            _step++;
        }
        return phases;
    }

    public void Dispose()
    {
        _batch.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
    }
}
