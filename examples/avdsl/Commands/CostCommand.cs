using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AvDsl.Runtime.Telemetry;
using AvDsl.Runtime.Training;
using AvDsl.Specs;
using Spectre.Console;

namespace AvDsl.Cli.Commands;

/// <summary>
/// <c>avdsl cost &lt;spec&gt;... [--json] [--measure N]</c>: parameters, FLOPs per training step and activation memory
/// of each spec, worked out from one forward pass before any training (see <see cref="StepCost"/>), side by side.
/// </summary>
public static class CostCommand
{
    public static Command Create()
    {
        var specs = new Argument<string[]>("spec")
        {
            Description = "Spec names or spec files (every spec a file holds is costed).",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON array instead of a table." };
        var measure = new Option<int?>("--measure")
        {
            Description = "Also train each spec this many steps (at least 2, in a temporary directory) and show the measured median step time and peak memory growth next to the prediction.",
        };
        var command = new Command("cost", "Parameters, FLOPs per training step (forward + backward) and activation memory of specs, side by side.")
        {
            specs, json, measure,
        };
        command.SetAction(result => Run(result.GetValue(specs)!, result.GetValue(json), result.GetValue(measure), Console.Out, Console.Error));
        return command;
    }

    public static int Run(IReadOnlyList<string> references, bool json, int? measureSteps, TextWriter output, TextWriter error)
    {
        if (measureSteps is < 2)
        {
            error.WriteLine("avdsl cost: --measure needs at least 2 steps (the first is a warm-up)");
            return ExitCodes.Usage;
        }
        var specs = new List<CompiledSpec>();
        foreach (var reference in references)
        {
            var found = Resolve(reference, error);
            if (found.Count == 0) return ExitCodes.Failed;
            specs.AddRange(found.Where(s => !specs.Contains(s)));
        }

        var rows = new List<CostRow>();
        var failed = false;
        foreach (var spec in specs)
        {
            try
            {
                var plan = spec.Plan();
                var estimate = StepCost.Estimate(plan);
                var measured = measureSteps is { } steps ? StepMeasurement.Of(plan, steps) : null;
                rows.Add(new CostRow(estimate, measured));
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or Runtime.Torch.TorchException)
            {
                error.WriteLine($"avdsl cost: {e.Message}");
                failed = true;
            }
        }

        if (json)
            output.WriteLine(JsonSerializer.Serialize(rows.Select(r => r.ToJson()), new JsonSerializerOptions { WriteIndented = true }));
        else if (rows.Count > 0)
            WriteTable(rows, output);
        return failed ? ExitCodes.Failed : ExitCodes.Ok;
    }

    // A name, or a file: every compiled spec of the file (a file of sweeps yields each variant).
    private static List<CompiledSpec> Resolve(string reference, TextWriter error)
    {
        if (File.Exists(reference))
        {
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(reference)))).ToLowerInvariant();
            var all = CompiledSpecs.All.Where(s => s.SourceHash == hash).ToList();
            if (all.Count > 0) return all;
        }
        return SpecLookup.Find(reference, null, error) is { } one ? [one] : [];
    }

    private static void WriteTable(List<CostRow> rows, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        var measured = rows.Any(r => r.Measured is not null);
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("spec");
        table.AddColumn(new TableColumn("params trainable").RightAligned());
        table.AddColumn(new TableColumn("params frozen").RightAligned());
        table.AddColumn(new TableColumn("batch").RightAligned());
        table.AddColumn(new TableColumn("GFLOP fwd").RightAligned());
        table.AddColumn(new TableColumn("GFLOP fwd+bwd").RightAligned());
        table.AddColumn(new TableColumn("of which no-grad").RightAligned());
        table.AddColumn(new TableColumn("activations MB").RightAligned());
        table.AddColumn(new TableColumn("step MB (pred.)").RightAligned());
        if (measured)
        {
            table.AddColumn(new TableColumn("step ms (meas.)").RightAligned());
            table.AddColumn(new TableColumn("GFLOP/s (meas.)").RightAligned());
            table.AddColumn(new TableColumn("peak MB (meas.)").RightAligned());
        }
        foreach (var (e, m) in rows)
        {
            var cells = new List<string>
            {
                e.SpecName, Count(e.TrainableParameters), Count(e.FrozenParameters), e.BatchSize.ToString(CultureInfo.InvariantCulture),
                Giga(e.ForwardFlops), Giga(e.TrainingFlops), Giga(e.NoGradFlops), Mega(e.ActivationBytes), Mega(e.TrainingBytes()),
            };
            if (measured)
            {
                cells.Add(m is null ? "" : m.MedianStepMs.ToString("F1", CultureInfo.InvariantCulture));
                cells.Add(m is null ? "" : (e.TrainingFlops / (m.MedianStepMs * 1e6)).ToString("F1", CultureInfo.InvariantCulture));
                cells.Add(m?.PeakGrowthBytes is { } peak ? Mega(peak) : "");
            }
            table.AddRow(cells.Select(c => new Text(c)).ToArray());
        }
        console.Write(table);
        output.WriteLine("FLOPs: matrix products (linear, matmul, conv, attention) counted in one forward pass at batch 1, scaled to the batch;");
        output.WriteLine("backward = one more forward per operand needing a gradient (3x a hidden layer), none under no-grad (an EMA teacher).");
        output.WriteLine("Activations: an estimate of what autograd keeps; step MB adds parameters, gradients and AdamW state. Scheduled arguments at step 0.");
    }

    private static string Count(long n) => n switch
    {
        0 => "0",
        >= 1_000_000 => (n / 1e6).ToString("F2", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (n / 1e3).ToString("F1", CultureInfo.InvariantCulture) + "k",
        _ => n.ToString(CultureInfo.InvariantCulture),
    };

    private static string Giga(long flops) => (flops / 1e9).ToString("F3", CultureInfo.InvariantCulture);

    private static string Mega(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture);

    private sealed record CostRow(StepCostEstimate Estimate, StepMeasurement? Measured)
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
}
