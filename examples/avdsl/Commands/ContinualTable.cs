using System.Globalization;
using AvDsl.Cli.Shell;
using AvDsl.Runtime.Evaluation;
using Spectre.Console;

namespace AvDsl.Cli.Commands;

/// <summary>The accuracy matrix of a sequence of tasks, one table per direction (R@1 / R@5 / R@10 per cell), with the average
/// and forgetting beneath.</summary>
public static class ContinualTable
{
    public static void Write(CommandOutput output, ContinualReport report)
    {
        output.Out.WriteLine($"zero-shot retrieval with {report.Spec} on each task's test split after each stage; cells R@1 / R@5 / R@10 (%)");
        Direction(output, report, $"{report.First} → {report.Second}", c => c.FirstToSecond, report.FirstToSecond);
        Direction(output, report, $"{report.Second} → {report.First}", c => c.SecondToFirst, report.SecondToFirst);
    }

    private static void Direction(CommandOutput output, ContinualReport report, string title, Func<ContinualCell, RetrievalScores> scores, ContinualSummary summary)
    {
        var table = new Table().Title(title).AddColumn("after stage");
        foreach (var task in report.Tasks) table.AddColumn($"{task} ({report.Matrix[0].First(c => c.Task == task).Clips})");
        for (var stage = 0; stage < report.Matrix.Count; stage++)
            table.AddRow(new[] { $"{stage + 1}: {report.Stages[stage]}" }.Concat(report.Matrix[stage].Select(c => Cell(RecallAtK.Of(scores(c))))).ToArray());
        output.Ansi.Write(table);
        output.Out.WriteLine($"  average {Cell(summary.Average)}; forgetting {(summary.Forgetting is { } f ? Cell(f) : "– (no task was trained before the last stage)")}");
    }

    private static string Cell(RecallAtK r) => string.Create(CultureInfo.InvariantCulture, $"{100 * r.R1:0.0} / {100 * r.R5:0.0} / {100 * r.R10:0.0}");
}
