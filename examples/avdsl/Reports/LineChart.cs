using System.Globalization;
using System.Net;
using System.Text;

namespace AvDsl.Cli.Reports;

/// <summary>A line chart as standalone SVG: one polyline per series over a shared step axis, ticks at round numbers, a
/// legend. Long series are thinned to <see cref="MaxPoints"/> points (every k-th step, the last kept).</summary>
public static class LineChart
{
    public const int MaxPoints = 600;
    private const int Width = 720, Height = 300, Left = 64, Right = 16, Top = 28, Bottom = 40;

    // Distinguishable on white, and in grey print by lightness.
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];

    public sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points);

    public static string Render(string title, string yLabel, IReadOnlyList<Series> series)
    {
        var finite = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Y)).ToList();
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height + 18 * series.Count}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"16\" font-weight=\"bold\">{WebUtility.HtmlEncode(title)}</text>");
        if (finite.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Top + 20}\">no finite values logged</text></svg>");
            return svg.ToString();
        }
        double x0 = finite.Min(p => p.X), x1 = finite.Max(p => p.X), y0 = finite.Min(p => p.Y), y1 = finite.Max(p => p.Y);
        if (x1 == x0) x1 = x0 + 1;
        if (y1 == y0) { y0 -= 0.5; y1 += 0.5; }
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        string X(double x) => (Left + (x - x0) / (x1 - x0) * plotW).ToString("F1", CultureInfo.InvariantCulture);
        string Y(double y) => (Top + (1 - (y - y0) / (y1 - y0)) * plotH).ToString("F1", CultureInfo.InvariantCulture);

        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#999\"/>");
        foreach (var tick in Ticks(y0, y1))
        {
            svg.Append($"<line x1=\"{Left}\" x2=\"{Left + plotW}\" y1=\"{Y(tick)}\" y2=\"{Y(tick)}\" stroke=\"#eee\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{Y(tick)}\" text-anchor=\"end\" dominant-baseline=\"middle\">{Label(tick)}</text>");
        }
        // Steps are whole numbers: no tick between two of them.
        foreach (var tick in Ticks(x0, x1).Where(t => t == Math.Floor(t)))
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(tick)}\" y=\"{Top + plotH + 16}\" text-anchor=\"middle\">{Label(tick)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotW / 2}\" y=\"{Top + plotH + 32}\" text-anchor=\"middle\">step</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{Top + plotH / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {Top + plotH / 2})\">{WebUtility.HtmlEncode(yLabel)}</text>");
        for (var i = 0; i < series.Count; i++)
        {
            var colour = Colours[i % Colours.Length];
            var points = Thin(series[i].Points.Where(p => double.IsFinite(p.Y)).ToList());
            svg.Append($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{string.Join(" ", points.Select(p => $"{X(p.X)},{Y(p.Y)}"))}\"/>");
            var legendY = Height + 18 * i;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Left + 24}\" y1=\"{legendY - 4}\" y2=\"{legendY - 4}\" stroke=\"{colour}\" stroke-width=\"3\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + 30}\" y=\"{legendY}\">{WebUtility.HtmlEncode(series[i].Name)}</text>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Every k-th point so that at most <see cref="MaxPoints"/> remain, the last one always among them.</summary>
    public static IReadOnlyList<(double X, double Y)> Thin(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count <= MaxPoints) return points;
        var every = (int)Math.Ceiling(points.Count / (double)MaxPoints);
        var kept = points.Where((_, i) => i % every == 0).ToList();
        if (kept[^1] != points[^1]) kept.Add(points[^1]);
        return kept;
    }

    /// <summary>About five ticks at 1, 2 or 5 times a power of ten, inside [low, high].</summary>
    public static IReadOnlyList<double> Ticks(double low, double high)
    {
        var raw = (high - low) / 5;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(m => m * power).First(s => s >= raw);
        var ticks = new List<double>();
        for (var t = Math.Ceiling(low / step) * step; t <= high + step * 1e-9; t += step) ticks.Add(Math.Round(t / step) * step);
        return ticks;
    }

    private static string Label(double value) => Math.Abs(value) >= 1e4 || (value != 0 && Math.Abs(value) < 1e-3)
        ? value.ToString("0.##e+0", CultureInfo.InvariantCulture)
        : value.ToString("0.####", CultureInfo.InvariantCulture);
}
