using AvDsl.Runtime.Telemetry;
using AvDsl.Runtime.Training;

namespace AvDsl.Cli.Commands;

/// <summary>One spec's predicted cost, and what a few real steps measured when asked for.</summary>
public sealed record CostRow(StepCostEstimate Estimate, StepMeasurement? Measured)
{
    public Dictionary<string, object?> ToJson()
    {
        var e = Estimate;
        var row = new Dictionary<string, object?>
        {
            ["spec"] = e.SpecName,
            ["batch"] = e.BatchSize,
            ["trainableParameters"] = e.TrainableParameters,
            ["frozenParameters"] = e.FrozenParameters,
            ["parameterBytes"] = e.ParameterBytes,
            ["forwardFlops"] = e.ForwardFlops,
            ["trainingFlops"] = e.TrainingFlops,
            ["noGradFlops"] = e.NoGradFlops,
            ["elementwiseFlops"] = e.ElementwiseFlops,
            ["activationBytes"] = e.ActivationBytes,
            ["stepBytes"] = e.TrainingBytes(),
            ["inputSource"] = e.InputSource,
        };
        if (Measured is { } m)
        {
            row["measuredSteps"] = m.Steps;
            row["measuredMedianStepMs"] = m.MedianStepMs;
            row["measuredPeakGrowthBytes"] = m.PeakGrowthBytes;
        }
        return row;
    }
}
