using System.Globalization;

namespace AvDsl.Cli.Sweeps;

/// <summary>The sweep's table, one row per variant: what it sets, where its run stands, and its final loss (the mean of
/// its last <see cref="Reports.ReportRun.LastSteps"/> logged steps, so one noisy step does not rank a variant) and median step time.
/// Written as summary.md in the sweep directory and printed; a Markdown table reads in a terminal as it is.</summary>
public static class SweepSummary
{
    public const string FileName = "summary.md";

    public static string Render(SweepRecord sweep, string directory)
    {
        var paths = sweep.Variants.SelectMany(v => v.Settings.Keys).Distinct().ToList();
        var header = new List<string> { "variant" };
        header.AddRange(paths);
        header.AddRange(["status", "steps", $"final loss (last {Reports.ReportRun.LastSteps})", "step ms (median)"]);
        var rows = new List<List<string>>();
        foreach (var variant in sweep.Variants)
        {
            var state = VariantState.Of(directory, variant.Name);
            var metrics = state.Metrics();
            var row = new List<string> { variant.Name };
            row.AddRange(paths.Select(p => variant.Settings.TryGetValue(p, out var v) ? v : "–"));
            row.Add(state.Progress == VariantProgress.NoCheckpoint && metrics.Count == 0 ? "failed" : state.Status);
            row.Add(metrics.Count == 0 ? "0" : metrics[^1].Step.ToString(CultureInfo.InvariantCulture));
            row.Add(Reports.ReportRun.Number(Reports.ReportRun.FinalLossOf(metrics), "F4"));
            row.Add(Reports.ReportRun.Number(Reports.ReportRun.MedianStepMsOf(metrics), "F1"));
            rows.Add(row);
        }
        return MarkdownTable(header, rows);
    }

    /// <summary>A Markdown table with columns padded to their widest cell, numbers right-aligned.</summary>
    public static string MarkdownTable(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = header.Select((h, i) => Math.Max(3, rows.Select(r => r[i].Length).Prepend(h.Length).Max())).ToArray();
        var numeric = header.Select((_, i) => rows.Count > 0 && rows.All(r => r[i] == "–" || double.TryParse(r[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double _))).ToArray();
        string Line(IReadOnlyList<string> cells) =>
            "| " + string.Join(" | ", cells.Select((c, i) => numeric[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))) + " |";
        var text = new System.Text.StringBuilder();
        text.AppendLine(Line(header));
        text.AppendLine("| " + string.Join(" | ", widths.Select((w, i) => numeric[i] ? new string('-', w - 1) + ":" : new string('-', w))) + " |");
        foreach (var row in rows) text.AppendLine(Line(row));
        return text.ToString();
    }
}
