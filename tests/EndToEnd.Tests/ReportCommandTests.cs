using System.Diagnostics;
using AvDsl.Cli.Commands;
using AvDsl.Cli.Reports;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary><c>avdsl report</c> on a sweep: the ablation table, each variant's difference from the base spec, curves.</summary>
[Collection(nameof(GlobalRandomness))]
public class ReportCommandTests
{
    private static string TwoPointSweep(TempFolder temp)
    {
        var file = Path.Combine(temp.Path, "ratio.avml");
        File.WriteAllText(file, $"import \"{Repository.Spec("tiny-mae.avml")}\"\n\nsweep Ratio of TinyMae {{\n  grid view.ratio in [0.5, 0.9]\n}}\n");
        var folder = Path.Combine(temp.Path, "sweep");
        var (exit, output, error) = CapturedCli.Run("sweep", file, "--steps", "3", "--sweep-dir", folder);
        Assert.True(exit == 0, error + output);
        return folder;
    }

    [Fact]
    public void A_sweep_report_has_the_table_the_semantic_diff_from_the_base_spec_and_the_loss_curves()
    {
        using var temp = new TempFolder();
        var folder = TwoPointSweep(temp);
        // An evaluation written into one variant's eval/ becomes a column.
        Directory.CreateDirectory(Path.Combine(folder, "Ratio_ViewRatio0p5", "eval"));
        File.WriteAllText(Path.Combine(folder, "Ratio_ViewRatio0p5", "eval", "keywords-linear.json"), "{\"accuracy\": 0.425}");

        var (exit, output, error) = CapturedCli.Run("report", folder);
        Assert.True(exit == 0, error + output);
        Assert.Contains("| Ratio_ViewRatio0p5 |        0.5 | done   |     3 |", output);
        Assert.Contains("| keywords-linear acc % |", output.Split('\n')[1]);
        Assert.Contains("42.5", output);
        var markdown = File.ReadAllText(Path.Combine(folder, ReportCommand.MarkdownName));
        // TinyMae masks 0.75 of the patches: each variant's diff is against that, not against the first variant.
        Assert.Contains("**Ratio_ViewRatio0p5**: `~ view.ratio: 0.75 -> 0.5`", markdown);
        Assert.Contains("**Ratio_ViewRatio0p9**: `~ view.ratio: 0.75 -> 0.9`", markdown);
        Assert.Contains("![loss](loss.svg)", markdown);
        var svg = File.ReadAllText(Path.Combine(folder, "loss.svg"));
        Assert.Equal(2, svg.Split("<polyline").Length - 1);
        var html = File.ReadAllText(Path.Combine(folder, ReportCommand.HtmlName));
        Assert.Contains("<svg", html);          // inline: the HTML needs no file beside it
        Assert.DoesNotContain("src=", html);     // generated data: no pictures to draw
        Assert.DoesNotContain("Masks and reconstructions", markdown);
    }

    [Fact]
    public void A_run_on_a_manifest_gets_its_mask_and_reconstruction_pictures_inlined()
    {
        using var temp = new TempFolder();
        var manifest = ToneCorpus.ForTasks(temp);
        var spec = Path.Combine(temp.Path, "tones.avml");
        File.WriteAllText(spec, $"import \"{Repository.Spec("tiny-mae.avml")}\"\n\nspec Tones extends TinyMae {{\n  data {{\n    train: manifest(path: \"{manifest}\", split: \"train\")\n  }}\n}}\n");
        var run = Path.Combine(temp.Path, "run");
        var (exit, output, error) = CapturedCli.Run("train", spec, "--steps", "2", "--run-dir", run);
        Assert.True(exit == 0, error + output);

        (exit, output, error) = CapturedCli.Run("report", run);
        Assert.True(exit == 0, error + output);
        var drawn = Directory.GetFiles(Path.Combine(run, "reconstruct"), "*.png", SearchOption.AllDirectories).Select(f => Path.GetFileName(f)!).Order().ToArray();
        Assert.Equal(["audio-input.png", "audio-masked.png", "audio-recon.png"], drawn);
        Assert.Contains("## Masks and reconstructions", File.ReadAllText(Path.Combine(run, ReportCommand.MarkdownName)));
        Assert.Equal(3, File.ReadAllText(Path.Combine(run, ReportCommand.HtmlName)).Split("src=\"data:image/png;base64,").Length - 1);
    }

    [Fact]
    public void A_folder_that_is_neither_a_run_nor_a_sweep_is_refused_in_one_sentence()
    {
        using var temp = new TempFolder();
        var (exit, _, error) = CapturedCli.Run("report", temp.Path);
        Assert.NotEqual(0, exit);
        Assert.Contains("holds neither sweep.json nor spec.avml: pass a run directory", error);
    }

    [Fact]
    public void Chart_ticks_are_round_and_long_series_are_thinned_keeping_the_last_point()
    {
        static string[] Text(IEnumerable<double> ticks) => ticks.Select(t => t.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(["1.3", "1.4"], Text(LineChart.Ticks(1.21, 1.47)));
        Assert.Equal(["0", "200", "400", "600", "800", "1000"], Text(LineChart.Ticks(0, 1000)));
        var points = Enumerable.Range(1, 1999).Select(i => ((double)i, (double)i)).ToList();
        var thinned = LineChart.Thin(points);
        Assert.True(thinned.Count <= LineChart.MaxPoints + 1);
        Assert.Equal(points[^1], thinned[^1]);
        Assert.Equal(points[0], thinned[0]);
    }

    /// <summary>The report as a browser shows it: headless Chromium renders it (its DOM has the table and the chart) and
    /// takes a screenshot that is not blank.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void Chromium_renders_the_report_with_its_table_and_chart()
    {
        var browser = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        if (browser is null) Assert.Fail("headless Chromium is needed: apt-get install chromium");
        using var temp = new TempFolder();
        var folder = TwoPointSweep(temp);
        Assert.Equal(0, CapturedCli.Run("report", folder).Exit);
        var page = new Uri(Path.Combine(folder, ReportCommand.HtmlName)).AbsoluteUri;

        var dom = Chromium(browser!, "--dump-dom", page);
        Assert.Contains("<td>Ratio_ViewRatio0p9</td>", dom);
        Assert.Contains("<polyline", dom);
        var png = Path.Combine(temp.Path, "report.png");
        Chromium(browser!, $"--screenshot={png}", "--window-size=1200,1000", page);
        var bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        // A blank white page compresses to a few kilobytes; text, table and curves do not.
        Assert.True(bytes.Length > 30_000, $"screenshot of {bytes.Length} bytes looks blank");
    }

    private static string Chromium(string browser, params string[] arguments)
    {
        var start = new ProcessStartInfo(browser) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars" }.Concat(arguments))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEnd();
        if (!process.WaitForExit(120_000)) process.Kill(entireProcessTree: true);
        return output.Result;
    }
}
