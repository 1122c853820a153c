using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>
/// PyTorch's <c>torch.optim.AdamW</c> (decoupled weight decay, bias-corrected moments), stepped by one fused
/// native call. Two parameter groups as in MAE/timm: biases and 1-D parameters (norm scales) get no weight
/// decay, everything else gets <see cref="OptimizerSettings.WeightDecay"/>. Parameters without a gradient
/// are left alone by a step.
/// </summary>
public sealed class AdamW : IDisposable
{
    private readonly AdamWParameterState[] _state;
    private readonly bool _scaled;

    /// <param name="learningRateScale">per parameter key, a multiplier of the learning rate (e.g. <see cref="LayerDecay.Scale"/>); null = 1</param>
    /// <param name="weightDecay">per parameter key, a weight decay replacing the settings' (null for the settings'); biases and 1-D parameters take none either way</param>
    public AdamW(Module model, double learningRate, OptimizerSettings settings, Func<string, double>? learningRateScale = null,
        Func<string, double?>? weightDecay = null)
        : this(model.NamedParameters(), learningRate, settings, learningRateScale, weightDecay) { }

    public AdamW(IEnumerable<KeyValuePair<string, Parameter>> parameters, double learningRate, OptimizerSettings settings,
        Func<string, double>? learningRateScale = null, Func<string, double?>? weightDecay = null)
    {
        Settings = settings;
        LearningRate = learningRate;
        _state = parameters
            .Where(p => p.Value.RequiresGrad)
            .Select(p => new AdamWParameterState(
                p.Key,
                p.Value,
                Tensor.OwnedZerosLike(p.Value, $"{p.Key}.exp_avg"),
                Tensor.OwnedZerosLike(p.Value, $"{p.Key}.exp_avg_sq"),
                NoDecay(p.Key, p.Value) ? 0.0 : weightDecay?.Invoke(p.Key) ?? Settings.WeightDecay,
                learningRateScale?.Invoke(p.Key) ?? 1.0))
            .ToArray();
        _scaled = _state.Any(s => s.LearningRateScale != 1.0);
    }

    public OptimizerSettings Settings { get; }

    public double LearningRate { get; set; }

    /// <summary>Steps taken so far (PyTorch's per-parameter "step", shared here).</summary>
    public long StepCount { get; private set; }

    public IReadOnlyList<AdamWParameterState> State => _state;

    private static bool NoDecay(string name, Parameter parameter) =>
        parameter.Dim <= 1 || name == "bias" || name.EndsWith(".bias", StringComparison.Ordinal);

    /// <summary>Drops every parameter's gradient (PyTorch's <c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var state in _state)
            state.Parameter.ZeroGrad();
    }

    /// <summary>One AdamW update of every parameter that has a gradient.</summary>
    public void Step()
    {
        var step = StepCount + 1;
        Fused.AdamW_(
            _state.Select(s => (Tensor)s.Parameter).ToArray(),
            _state.Select(s => s.ExpAvg).ToArray(),
            _state.Select(s => s.ExpAvgSq).ToArray(),
            _state.Select(s => s.WeightDecay).ToArray(),
            _scaled ? _state.Select(s => s.LearningRateScale).ToArray() : null,
            LearningRate, Settings.Beta1, Settings.Beta2, Settings.Eps, step);
        StepCount = step;
    }

    /// <summary>The moments by key: "&lt;parameter&gt;.exp_avg" and "&lt;parameter&gt;.exp_avg_sq" (the optimizer's own tensors).</summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var result = new OrderedDictionary<string, Tensor>();
        foreach (var state in _state)
        {
            result[$"{state.Name}.exp_avg"] = state.ExpAvg;
            result[$"{state.Name}.exp_avg_sq"] = state.ExpAvgSq;
        }
        return result;
    }

    /// <summary>Forgets every moment and the step count, as a newly made optimizer (a stage that does not carry the optimizer).</summary>
    public void Reset()
    {
        foreach (var state in _state)
        {
            state.ExpAvg.Fill_(0);
            state.ExpAvgSq.Fill_(0);
        }
        StepCount = 0;
    }

    /// <summary>Restores moments saved by <see cref="StateDict"/> and the step count; every key must be present with the right shape.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> source, long stepCount)
    {
        var own = StateDict();
        var missing = own.Keys.Where(k => !source.ContainsKey(k)).ToList();
        var mismatched = own.Where(kv => source.TryGetValue(kv.Key, out var t) && !t.Shape.AsSpan().SequenceEqual(kv.Value.Shape))
            .Select(kv => $"{kv.Key}: checkpoint {source[kv.Key].Describe()} vs optimizer {kv.Value.Describe()}")
            .ToList();
        if (missing.Count > 0 || mismatched.Count > 0)
            throw new StateDictMismatchException(nameof(AdamW), missing, [], mismatched);
        foreach (var (key, target) in own)
            target.CopyFrom(source[key]);
        StepCount = stepCount;
    }

    public void Dispose()
    {
        foreach (var state in _state)
        {
            state.ExpAvg.Dispose();
            state.ExpAvgSq.Dispose();
        }
    }
}
