using System.Globalization;
using Spectre.Console;

namespace AvDsl.Cli.Commands;

/// <summary>The table <c>avdsl cost</c> prints: one row per spec, measured columns when any row was measured.</summary>
public static class CostTable
{
    public static void Write(IReadOnlyList<CostRow> rows, TextWriter output)
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
        table.AddColumn(new TableColumn("run steps").RightAligned());
        table.AddColumn(new TableColumn("batch first→last").RightAligned());
        table.AddColumn(new TableColumn("run TFLOP").RightAligned());
        if (measured)
        {
            table.AddColumn(new TableColumn("step ms (meas.)").RightAligned());
            table.AddColumn(new TableColumn("GFLOP/s (meas.)").RightAligned());
            table.AddColumn(new TableColumn("peak MB (meas.)").RightAligned());
            table.AddColumn(new TableColumn("run min (pred.)").RightAligned());
        }
        foreach (var (e, r, m) in rows)
        {
            var cells = new List<string>
            {
                e.SpecName, Count(e.TrainableParameters), Count(e.FrozenParameters), e.BatchSize.ToString(CultureInfo.InvariantCulture),
                Giga(e.ForwardFlops), Giga(e.TrainingFlops), Giga(e.NoGradFlops), Mega(e.ActivationBytes), Mega(e.TrainingBytes()),
                r is null ? "" : r.Steps.ToString(CultureInfo.InvariantCulture),
                r is null ? "" : $"{r.FirstBatch}→{r.LastBatch}",
                r is null ? "" : (r.TrainingFlops / 1e12).ToString("F2", CultureInfo.InvariantCulture),
            };
            if (measured)
            {
                cells.Add(m is null ? "" : m.MedianStepMs.ToString("F1", CultureInfo.InvariantCulture));
                cells.Add(m is null ? "" : (e.TrainingFlops / (m.MedianStepMs * 1e6)).ToString("F1", CultureInfo.InvariantCulture));
                cells.Add(m?.PeakGrowthBytes is { } peak ? Mega(peak) : "");
                cells.Add(m is null || r is null ? "" : (m.MedianStepMs * r.FirstStepEquivalents / 60000.0).ToString("F1", CultureInfo.InvariantCulture));
            }
            table.AddRow(cells.Select(c => new Text(c)).ToArray());
        }
        console.Write(table);
        output.WriteLine("FLOPs: matrix products (linear, matmul, conv, attention) counted in one forward pass at batch 1, scaled to the batch;");
        output.WriteLine("backward = one more forward per operand needing a gradient (3x a hidden layer), none under no-grad (a teacher).");
        output.WriteLine("Activations: an estimate of what autograd keeps; step MB adds parameters, gradients and AdamW state. Per-step columns: scheduled arguments at step 0.");
        output.WriteLine("Run: every step's batch x a clip's FLOPs at that step (counted at 65 points of the run), so a curriculum and a moving batch are followed;");
        output.WriteLine("run min (pred.): the measured first steps' median time scaled by the run's FLOPs over the first step's (time taken to follow FLOPs).");
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
}
