using AvDsl.Runtime.Telemetry;
using AvDsl.Runtime.Training;

namespace AvDsl.Cli.Commands;

/// <summary>One spec's predicted cost per step and per run (null when the run's length is unknown), and what a few real steps measured when asked for.</summary>
public sealed record CostRow(StepCostEstimate Estimate, RunCostEstimate? Run, StepMeasurement? Measured)
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
            ["allReduceBytes"] = e.AllReduceBytes,
            ["inputSource"] = e.InputSource,
        };
        if (Run is { } r)
        {
            row["runSteps"] = r.Steps;
            row["runClips"] = r.Clips;
            row["runFirstBatch"] = r.FirstBatch;
            row["runLastBatch"] = r.LastBatch;
            row["runFirstClipFlops"] = r.FirstClipFlops;
            row["runLastClipFlops"] = r.LastClipFlops;
            row["runTrainingFlops"] = r.TrainingFlops;
        }
        if (Measured is { } m)
        {
            row["measuredSteps"] = m.Steps;
            row["measuredMedianStepMs"] = m.MedianStepMs;
            row["measuredPeakGrowthBytes"] = m.PeakGrowthBytes;
            if (Run is { } run) row["predictedRunSeconds"] = m.MedianStepMs * run.FirstStepEquivalents / 1000.0;
        }
        return row;
    }
}
