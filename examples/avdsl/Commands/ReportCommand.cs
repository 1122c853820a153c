using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using AvDsl.Cli.Reports;
using AvDsl.Cli.Shell;
using AvDsl.Cli.Sweeps;
using AvDsl.Dsl.Model;
using AvDsl.Runtime.Telemetry;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;

namespace AvDsl.Cli.Commands;

/// <summary>
/// <c>avdsl report &lt;run-or-sweep-dir&gt;</c>: writes report.md and a self-contained report.html into the directory —
/// the ablation table (what each variant sets → final loss, evaluations, step time, FLOPs and memory per step), how each
/// variant's resolved spec differs from the baseline, and the loss curves as SVG — and prints the table.
/// </summary>
public sealed class ReportCommand : ICliCommand
{
    public const string MarkdownName = "report.md";
    public const string HtmlName = "report.html";

    private readonly CommandOutput output;
    private readonly SpecResolver specs;
    private readonly ReconstructCommand reconstruct;
    private readonly Argument<string> directory = new("dir") { Description = "A run directory (`avdsl train` prints it) or a sweep directory (`avdsl sweep` prints it)." };

    public ReportCommand(CommandOutput output, SpecResolver specs)
    {
        this.output = output;
        this.specs = specs;
        // Quiet: the report says once what it drew and why it could not.
        reconstruct = new ReconstructCommand(CommandOutput.Captured(TextWriter.Null, TextWriter.Null), specs);
        Syntax = new Command("report", "Write report.md and report.html for a run or a sweep: the ablation table, each variant's spec differences, loss curves.") { directory };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel) => Run(parsed.GetValue(directory)!);

    public CommandResult Run(string path)
    {
        if (!Directory.Exists(path)) return Fail($"no directory '{path}'");
        var folder = Path.GetFullPath(path);
        SweepRecord? sweep;
        try
        {
            sweep = SweepRecord.Read(folder);
        }
        catch (InvalidDataException error)
        {
            return Fail(error.Message);
        }
        var single = new TrainedRun(folder);
        if (sweep is null && !single.HasSpec)
            return Fail($"'{path}' holds neither {SweepRecord.FileName} nor {Trainer.SpecFileName}: pass a run directory (`avdsl train` prints it) or a sweep directory (`avdsl sweep` prints it)");

        List<ReportRun> runs;
        string title;
        try
        {
            if (sweep is not null)
            {
                title = $"Sweep {sweep.Sweep}{(sweep.Base is null ? "" : $" of {sweep.Base}")}";
                var baseline = BaseSpec(sweep);
                runs = sweep.Variants.Select(v => Load(VariantState.Of(folder, v.Name), v.Settings, ref baseline)).ToList();
            }
            else
            {
                title = $"Run {Path.GetFileName(folder)}";
                Spec? baseline = null;
                runs = [Load(VariantState.Of(Path.GetDirectoryName(folder)!, Path.GetFileName(folder)), new Dictionary<string, string>(), ref baseline)];
            }
        }
        catch (InvalidDataException error)
        {
            return Fail(error.Message);
        }

        var settings = runs.SelectMany(r => r.Settings.Keys).Distinct().ToList();
        var evaluations = runs.SelectMany(r => r.Evaluations.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var header = new List<string> { "variant" };
        header.AddRange(settings);
        header.AddRange(["status", "steps", $"final loss (last {ReportRun.LastSteps})"]);
        header.AddRange(evaluations);
        header.AddRange(["step ms (median)", "GFLOPs/step", "step memory MB (est.)"]);
        var rows = runs.Select(r => (IReadOnlyList<string>)[
            r.Name,
            .. settings.Select(s => r.Settings.TryGetValue(s, out var v) ? v : "–"),
            r.Status,
            r.Metrics.Count == 0 ? "0" : r.Metrics[^1].Step.ToString(CultureInfo.InvariantCulture),
            ReportRun.Number(r.FinalLoss, "F4"),
            .. evaluations.Select(e => r.Evaluations.TryGetValue(e, out var v) ? ReportRun.Number(v, "F1") : "–"),
            ReportRun.Number(r.MedianStepMs, "F1"),
            r.Cost is { } c ? ReportRun.Number(c.TrainingFlops / 1e9, "F2") : "–",
            r.Cost is { } m ? ReportRun.Number(m.TrainingBytes() / (1024.0 * 1024.0), "F1") : "–",
        ]).ToList();
        var table = SweepSummary.MarkdownTable(header, rows);

        var pictures = runs.ToDictionary(r => r.Name, Pictures);
        var charts = Charts(runs);
        foreach (var (name, svg) in charts) File.WriteAllText(Path.Combine(folder, name + ".svg"), svg);
        File.WriteAllText(Path.Combine(folder, MarkdownName), Markdown(title, table, runs, charts.Select(c => c.Name).ToList(), pictures, folder));
        File.WriteAllText(Path.Combine(folder, HtmlName), Html(title, header, rows, runs, charts, pictures));
        output.Out.WriteLine(title);
        output.Out.Write(table);
        output.Out.WriteLine($"wrote {Path.Combine(folder, MarkdownName)} and {HtmlName}");
        return CommandResult.Ok;
    }

    /// <summary>The spec the sweep varies, as its file is now; null when that file or spec is gone (the first variant
    /// is then the baseline).</summary>
    private static Spec? BaseSpec(SweepRecord sweep)
    {
        if (sweep.Base is null || !File.Exists(sweep.File)) return null;
        // The base may be imported into the sweep's file: a spec that extends it and changes nothing is it.
        var probe = SpecFiles.CompileText(Path.Combine(Path.GetDirectoryName(sweep.File)!, "report-baseline.avml"),
            $"import \"{Path.GetFileName(sweep.File)}\"\n\nspec ReportBaseline extends {sweep.Base} {{\n}}\n");
        return probe.HasErrors ? null : probe.Specs.FirstOrDefault(s => s.Name == "ReportBaseline");
    }

    private ReportRun Load(VariantState state, IReadOnlyDictionary<string, string> settings, ref Spec? baseline)
    {
        var status = state.Status;
        var run = new TrainedRun(state.RunDirectory);
        if (!run.HasSpec) return new ReportRun(state.Name, state.RunDirectory, status, settings, [], [], null, new Dictionary<string, double>());
        var model = SpecFiles.Compile(run.SpecPath) is { HasErrors: false } file ? file.Specs.FirstOrDefault() : null;
        baseline ??= model;
        var changes = model is null || baseline is null ? [] : SpecDiff.Compare(baseline, model);
        return new ReportRun(state.Name, state.RunDirectory, status, settings, state.Metrics(), changes, Cost(run), ReportRun.EvaluationsOf(state.RunDirectory));
    }

    // The cost model's step at the spec's batch; null (said once) when the run's spec no longer builds here.
    private StepCostEstimate? Cost(TrainedRun run)
    {
        var compiled = specs.OfRun(run, "avdsl report");
        if (compiled is null) return null;
        try
        {
            return StepCost.Estimate(compiled.Plan());
        }
        catch (Exception error) when (error is InvalidOperationException or ArgumentException or IOException or TorchException)
        {
            output.Error.WriteLine($"avdsl report: {run.Path}: no cost estimate ({error.Message})");
            return null;
        }
    }

    /// <summary>The run's mask pictures (input, input with its hidden patches painted over, reconstruction): those
    /// <c>avdsl reconstruct</c> drew into its reconstruct/ folder, else clip 0's, drawn now when the run finished and
    /// trains on a manifest's clips. None for a spec without a reconstruction loss or one that trains on generated data.</summary>
    private IReadOnlyList<string> Pictures(ReportRun run)
    {
        var folder = Path.Combine(run.Directory, "reconstruct");
        if (!Directory.Exists(folder) && run.Status == "done")
            reconstruct.Run(new ReconstructOptions(Path.Combine(run.Directory, Trainer.SpecFileName), run.Directory, 0));
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>The loss of every run on one chart, then each loss term's when a spec has more than one.</summary>
    private static List<(string Name, string Svg)> Charts(IReadOnlyList<ReportRun> runs)
    {
        static LineChart.Series Series(ReportRun run, string key) =>
            new(run.Name, run.Metrics.Where(m => m.Values.ContainsKey(key)).Select(m => ((double)m.Step, m.Values[key])).ToList());
        var charts = new List<(string, string)> { ("loss", LineChart.Render("Training loss", "loss", runs.Where(r => r.Metrics.Count > 0).Select(r => Series(r, "loss")).ToList())) };
        var reserved = new HashSet<string> { "step", "loss", "lr", "step_ms", "data_ms", "comm_ms", "batch", "flops", "stage", "skipped" };
        var terms = runs.SelectMany(r => r.Metrics.SelectMany(m => m.Values.Keys)).Where(k => !reserved.Contains(k)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (terms.Count > 1)
            foreach (var term in terms)
                charts.Add(($"loss-{term}", LineChart.Render($"Loss term {term}", term, runs.Where(r => r.Metrics.Any(m => m.Values.ContainsKey(term))).Select(r => Series(r, term)).ToList())));
        return charts;
    }

    private static string Markdown(string title, string table, IReadOnlyList<ReportRun> runs, IReadOnlyList<string> charts,
        IReadOnlyDictionary<string, IReadOnlyList<string>> pictures, string folder)
    {
        var text = new StringBuilder();
        text.AppendLine($"# {title}").AppendLine().Append(table).AppendLine();
        text.AppendLine($"Final loss: the mean of the last {ReportRun.LastSteps} logged steps. GFLOPs and memory per step: `avdsl cost`'s model at the spec's batch.").AppendLine();
        text.AppendLine("## What each variant changes from the baseline").AppendLine();
        foreach (var run in runs)
        {
            text.AppendLine($"- **{run.Name}**: " + (run.Changes.Count == 0 ? "no difference" : string.Join("; ", run.Changes.Select(c => $"`{c}`"))));
        }
        text.AppendLine().AppendLine("## Curves").AppendLine();
        foreach (var chart in charts) text.AppendLine($"![{chart}]({chart}.svg)").AppendLine();
        if (pictures.Values.Any(p => p.Count > 0))
        {
            text.AppendLine("## Masks and reconstructions").AppendLine();
            foreach (var (name, files) in pictures.Where(p => p.Value.Count > 0))
                text.AppendLine($"**{name}**: " + string.Join(" ", files.Select(f => $"![{Path.GetFileNameWithoutExtension(f)}]({Path.GetRelativePath(folder, f)})"))).AppendLine();
        }
        return text.ToString();
    }

    private static string Html(string title, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows, IReadOnlyList<ReportRun> runs,
        IReadOnlyList<(string Name, string Svg)> charts, IReadOnlyDictionary<string, IReadOnlyList<string>> pictures)
    {
        static string E(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>{E(title)}</title>");
        html.AppendLine("<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;font-size:14px}" +
                        "th,td{border:1px solid #ccc;padding:4px 8px}td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f4f4f4}" +
                        "code{background:#f4f4f4;padding:1px 3px}li{margin:2px 0}</style></head><body>");
        html.AppendLine($"<h1>{E(title)}</h1>");
        html.Append("<table><tr>").Append(string.Concat(header.Select(h => $"<th>{E(h)}</th>"))).AppendLine("</tr>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
                html.Append(double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? $"<td class=\"n\">{E(cell)}</td>" : $"<td>{E(cell)}</td>");
            html.AppendLine("</tr>");
        }
        html.AppendLine("</table>");
        html.AppendLine($"<p>Final loss: the mean of the last {ReportRun.LastSteps} logged steps. GFLOPs and memory per step: <code>avdsl cost</code>'s model at the spec's batch.</p>");
        html.AppendLine("<h2>What each variant changes from the baseline</h2><ul>");
        foreach (var run in runs)
            html.AppendLine($"<li><b>{E(run.Name)}</b>: {(run.Changes.Count == 0 ? "no difference" : string.Join("; ", run.Changes.Select(c => $"<code>{E(c.ToString())}</code>")))}</li>");
        html.AppendLine("</ul><h2>Curves</h2>");
        foreach (var (_, svg) in charts) html.AppendLine($"<div>{svg}</div>");
        if (pictures.Values.Any(p => p.Count > 0))
        {
            // Inlined, so the page stands alone.
            html.AppendLine("<h2>Masks and reconstructions</h2>");
            foreach (var (name, files) in pictures.Where(p => p.Value.Count > 0))
                html.AppendLine($"<p><b>{E(name)}</b></p><p>" + string.Concat(files.Select(f =>
                    $"<img alt=\"{E(Path.GetFileNameWithoutExtension(f))}\" title=\"{E(Path.GetFileNameWithoutExtension(f))}\" style=\"image-rendering:pixelated;margin:2px;max-width:32%\" src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(f))}\">")) + "</p>");
        }
        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private CommandResult Fail(string message)
    {
        output.Error.WriteLine($"avdsl report: {message}");
        return CommandResult.Failed;
    }
}
