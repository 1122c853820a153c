using System.Diagnostics;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using AvDsl.Specs;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Benchmarks;

/// <summary>
/// The AvDsl side of the MAViL-tiny benchmark: the generated code of spec MavilTiny (<see cref="MavilTinySpec.Plan"/>),
/// stepped as <see cref="Trainer"/> steps it — one TensorScope per step, the learning rate from the schedule, the
/// plan's loss, backward, global-norm clipping, AdamW — on a fixed batch of the spec's input shapes (fbank
/// [B, 256, 128], frames [B, 3, 8, 64, 64]), so no data loading is timed.
/// </summary>
internal sealed class AvDslMavil : IAvDslStep
{
    /// <summary>The run length the learning-rate schedule sees; steps are taken from <see cref="FirstStep"/>.</summary>
    public const long TotalSteps = 1000;
    private const long FirstStep = 200;

    private readonly TrainingPlan _plan;
    private readonly MavilTinyConfig _config;
    private readonly MavilTinyModel _model;
    private readonly AdamW _optimizer;
    private readonly Batch _batch;
    private long _step = FirstStep;

    /// <param name="input">makes an input of the given shape; random normal when null</param>
    public AvDslMavil(Options o, Func<long[], Tensor>? input = null)
    {
        _config = MavilTinyConfig.Default with { Train = MavilTinyConfig.Default.Train with { Batch = o.Batch } };
        _plan = MavilTinySpec.Plan(_config);
        T.ManualSeed(_plan.Seed);
        using (new TensorScope())
            _model = (MavilTinyModel)_plan.CreateModel();
        _model.Train();
        _optimizer = new AdamW(_model, _plan.LearningRate.At(FirstStep, TotalSteps), _plan.Optimizer);
        var (audio, video) = (_config.Audio, _config.Video);
        long[] audioShape = [_plan.BatchSize, audio.Frames, audio.Mel];                    // [16, 256, 128]
        long[] videoShape = [_plan.BatchSize, 3, video.Count, video.Size, video.Size];     // [16, 3, 8, 64, 64]
        _batch = new Batch(new Dictionary<string, Tensor>
        {
            ["audio"] = input?.Invoke(audioShape) ?? T.Randn(audioShape),
            ["video"] = input?.Invoke(videoShape) ?? T.Randn(videoShape),
        });
    }

    public TrainingPlan Plan => _plan;

    public long TrainedParameters => _model.Parameters().Where(p => p.RequiresGrad).Sum(p => p.NumElements);

    /// <summary>The loss terms of one forward pass on the batch, without a step.</summary>
    public Dictionary<string, double> Loss()
    {
        using var scope = new TensorScope();
        return _model.Loss(_batch).Terms.ToDictionary(t => t.Key, t => t.Value.Item<double>());
    }

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
        _model.BeforeStep(_step, TotalSteps);
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
    /// itself; its total is checked against the timed steps). Phase names are mavil_step.py's.
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
        var (m, c) = (_model, _config);
        for (var i = 0; i < steps; i++)
        {
            using var scope = new TensorScope();
            clock.Restart();
            _optimizer.LearningRate = _plan.LearningRate.At(_step, TotalSteps);
            var (audio, video) = (_batch["audio"], _batch["video"]);
            var aTokens = m.APatches.Forward(audio) + m.APos.Forward();
            var vTokens = m.VPatches.Forward(video) + m.VPos.Forward();
            var aView = m.AViewRandomMask.Forward(aTokens);
            var vView = m.VViewRandomMask.Forward(vTokens);
            Lap("patch embed + mask");
            var aHidden = m.AEncoder.Forward(m.ACls.Forward(aView.Visible));
            Lap("audio encoder");
            var vHidden = m.VEncoder.Forward(m.VCls.Forward(vView.Visible));
            Lap("video encoder");
            var parts = Tokens.SplitTokens(m.Fusion.Forward(Tokens.ConcatTokens(aHidden, vHidden)), aHidden);
            Lap("fusion");
            var aPred = m.ADecoder.Forward(Tokens.DropCls(parts.First), aView);
            var vPred = m.VDecoder.Forward(Tokens.DropCls(parts.Second), vView);
            Lap("decoders");
            var aTarget = m.ATargetPatchify.Forward(audio);
            var vTarget = m.VTargetPatchify3d.Forward(video);
            var aRecon = Losses.Mse(aPred[aView.Masked], aTarget[aView.Masked], c.AReconMse.Reduction);
            var vRecon = Losses.Mse(vPred[vView.Masked], vTarget[vView.Masked], c.VReconMse.Reduction);
            Lap("targets + reconstruction");
            var aOther = m.AEncoder.Forward(m.ACls.Forward(m.AView2RandomMask.Forward(aTokens).Visible));
            var vOther = m.VEncoder.Forward(m.VCls.Forward(m.VView2RandomMask.Forward(vTokens).Visible));
            Lap("second views");
            var aEmbed = Tokens.MeanTokens(Tokens.DropCls(aHidden));
            var vEmbed = Tokens.MeanTokens(Tokens.DropCls(vHidden));
            var inter = c.Lambda * Contrastive.InfoNce(aEmbed, vEmbed, c.Tau, c.InterInfoNce.Direction);
            var aIntra = c.Lambda * Contrastive.InfoNce(aEmbed, Tokens.MeanTokens(Tokens.DropCls(aOther)), c.Tau, c.AIntraInfoNce.Direction);
            var vIntra = c.Lambda * Contrastive.InfoNce(vEmbed, Tokens.MeanTokens(Tokens.DropCls(vOther)), c.Tau, c.VIntraInfoNce.Direction);
            var total = aRecon + vRecon + inter + aIntra + vIntra;
            Lap("contrastive");
            _optimizer.ZeroGrad();
            total.Backward();
            Lap("backward");
            GradientClipping.ClipByGlobalNorm(m.Parameters(), _plan.ClipGradNorm ?? double.PositiveInfinity);
            Lap("clip");
            _optimizer.Step();
            Lap("adamw");
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
