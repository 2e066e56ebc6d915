using System.Globalization;
using System.Net;
using System.Text;
using CanarySim.Harness.Sweeps;

namespace CanarySim.Reports.Sweeps;

/// <summary>
/// Writes a sweep summary as one self-contained HTML page (<c>sweep.html</c>; inline CSS and SVG, nothing loaded from
/// the network): the power curve of each injection range with its 95 % interval band, the distribution of time from
/// injection to detection per scenario, the scenario table and every false alarm.
/// </summary>
public static class SweepHtmlWriter
{
    private const double Width = 900, Height = 320, Left = 64, Right = 24, Top = 28, Bottom = 48;

    /// <summary>The page.</summary>
    public static string Render(SweepSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var s = summary.Sweep;
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sweep: ").Append(E(s.Plan)).Append("</title>\n<style>")
          .Append("body{font-family:system-ui,sans-serif;margin:24px;color:#1b1f24;max-width:1100px}table{border-collapse:collapse;margin:8px 0 20px}")
          .Append("td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;font-size:14px}th{background:#f6f8fa}.num{text-align:right}")
          .Append(".partial{background:#fff4ce;border:1px solid #d4a72c;padding:8px 12px}svg{background:#fff;border:1px solid #d0d7de}")
          .Append("svg text{font-size:12px;fill:#1b1f24}.axis{stroke:#57606a}.grid{stroke:#eaeef2}.band{fill:#0969da;fill-opacity:.18}")
          .Append(".curve{stroke:#0969da;stroke-width:2;fill:none}.pt{fill:#0969da}.fa{stroke:#cf222e;stroke-dasharray:5 4}.dot{fill:#8250df;fill-opacity:.55}")
          .Append(".med{stroke:#1b1f24;stroke-width:2}.p90{stroke:#bc4c00;stroke-width:2}</style></head><body>\n");
        sb.Append("<h1>Policy power analysis: ").Append(E(s.Plan)).Append("</h1>\n");
        if (summary.Partial)
        {
            sb.Append("<p class=\"partial\" id=\"partial\"><strong>Partial</strong>: stopped after ").Append(summary.RunsCompleted).Append(" of ")
              .Append(summary.RunsPlanned).Append(" runs; the numbers count only the runs that finished.</p>\n");
        }
        sb.Append("<p id=\"verdict\">").Append(E(SweepText.Verdict(summary))).Append("</p>\n<table><tbody>")
          .Append("<tr><th>plan</th><td>").Append(E(s.PlanFile)).Append(" (sha256 ").Append(E(s.PlanSha256[..Math.Min(12, s.PlanSha256.Length)])).Append(")</td></tr>")
          .Append("<tr><th>policy</th><td>").Append(E(s.Policy)).Append("</td></tr>")
          .Append("<tr><th>seeds</th><td>").Append(E(s.Seeds)).Append(summary.Shard is { } sh ? $" (shard {E(sh)})" : "").Append("</td></tr>")
          .Append(string.Create(CultureInfo.InvariantCulture, $"<tr><th>runs</th><td>{summary.RunsCompleted:N0} of {summary.RunsPlanned:N0}, {s.Requests:N0} requests each</td></tr>"))
          .Append("<tr><th>canarysim</th><td>").Append(E(s.Version)).Append(" (build ").Append(E(s.Build[..Math.Min(12, s.Build.Length)])).Append(")</td></tr></tbody></table>\n");

        foreach (var range in summary.Scenarios.Where(x => x.Range is not null && x.Size is not null).GroupBy(x => x.Range!))
        {
            sb.Append("<section><h2>Power curve: ").Append(E(range.Key)).Append("</h2>\n");
            PowerCurve(sb, range.Key, range.ToList(), summary.Healthy);
            sb.Append("</section>\n");
        }
        var injected = summary.Scenarios.Where(x => x.Detected is not null).ToList();
        if (injected.Count > 0)
        {
            sb.Append("<section><h2>Time from injection to detection</h2>\n");
            DetectionTimes(sb, injected);
            sb.Append("</section>\n");
        }
        Table(sb, summary);
        sb.Append("<section><h2>False alarms</h2>\n");
        if (summary.FalseAlarms.Count == 0)
        {
            sb.Append("<p>None.</p>\n");
        }
        else
        {
            sb.Append("<table id=\"false-alarms\"><thead><tr><th>seed</th><th>scenario</th><th>action</th><th>at</th><th>checks</th></tr></thead><tbody>\n");
            foreach (var a in summary.FalseAlarms)
            {
                sb.Append(string.Create(CultureInfo.InvariantCulture, $"<tr><td class=\"num\">{a.Seed}</td><td>{E(a.Scenario)}</td><td>{E(a.Action)}</td><td>{E(a.At)}</td><td>{E(string.Join(", ", a.Checks))}</td></tr>\n"));
            }
            sb.Append("</tbody></table>\n");
        }
        sb.Append("</section>\n<p>A false alarm is a run whose guard rolled back, paused or reduced traffic while nothing was injected; ")
          .Append("detected means the rollout rolled back at or after the injection. Intervals are 95 % Wilson score intervals; times by nearest rank.</p>\n")
          .Append("</body></html>\n");
        return sb.ToString();
    }

    private static void PowerCurve(StringBuilder sb, string range, IReadOnlyList<SweepScenarioStats> steps, SweepScenarioStats healthy)
    {
        var xs = steps.Select(x => x.Size!.Value).ToList();
        var (xmin, xmax) = (Math.Min(0, xs.Min()), Math.Max(0, xs.Max()));
        if (xmax - xmin < 1e-9)
        {
            xmax = xmin + 1;
        }
        double X(double v) => Left + (v - xmin) / (xmax - xmin) * (Width - Left - Right);
        double Y(double p) => Top + (1 - p) * (Height - Top - Bottom);
        var unit = steps[0].Unit;
        sb.Append(string.Create(CultureInfo.InvariantCulture, $"<svg class=\"power\" role=\"img\" aria-label=\"Detection probability: {E(range)}\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\">\n"));
        for (var p = 0; p <= 100; p += 25)
        {
            var y = Y(p / 100.0);
            sb.Append(F($"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"/><text x=\"{Left - 8}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{p} %</text>\n"));
        }
        foreach (var v in xs.Append(0).Distinct())
        {
            sb.Append(F($"<text x=\"{X(v):0.#}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{v:+0.##;-0.##;0}{E(unit)}</text>\n"));
        }
        sb.Append(F($"<line class=\"axis\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(0):0.#}\" y2=\"{Y(0):0.#}\"/><line class=\"axis\" x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{Y(0):0.#}\"/>\n"));
        sb.Append(F($"<text x=\"{(Left + Width - Right) / 2:0.#}\" y=\"{Height - 8}\" text-anchor=\"middle\">regression size</text>\n"));
        var upper = steps.Select(x => F($"{X(x.Size!.Value):0.##},{Y(x.DetectionCi95!.Upper):0.##}"));
        var lower = steps.Reverse().Select(x => F($"{X(x.Size!.Value):0.##},{Y(x.DetectionCi95!.Lower):0.##}"));
        sb.Append("<polygon class=\"band\" points=\"").Append(string.Join(' ', upper.Concat(lower))).Append("\"><title>95 % Wilson interval</title></polygon>\n");
        sb.Append("<polyline class=\"curve\" points=\"").Append(string.Join(' ', steps.Select(x => F($"{X(x.Size!.Value):0.##},{Y(x.DetectionRate!.Value):0.##}")))).Append("\"/>\n");
        foreach (var x in steps)
        {
            sb.Append(F($"<circle class=\"pt\" cx=\"{X(x.Size!.Value):0.##}\" cy=\"{Y(x.DetectionRate!.Value):0.##}\" r=\"4\"><title>{E(x.Name)}: {x.Detected}/{x.Runs} detected ({SweepText.Percent(x.DetectionRate!.Value)}, 95 % CI {SweepText.Interval(x.DetectionCi95)})</title></circle>\n"));
        }
        var fy = Y(healthy.FalseAlarmRate);
        sb.Append(F($"<line class=\"fa\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{fy:0.##}\" y2=\"{fy:0.##}\"/><text x=\"{Width - Right - 4}\" y=\"{fy - 6:0.##}\" text-anchor=\"end\">false-alarm rate {SweepText.Percent(healthy.FalseAlarmRate)} (healthy)</text>\n"));
        sb.Append("</svg>\n");
    }

    private static void DetectionTimes(StringBuilder sb, IReadOnlyList<SweepScenarioStats> scenarios)
    {
        const double row = 26, labelWidth = 250;
        var max = Math.Max(60, scenarios.Max(x => x.TimeToDetectionSeconds?.Max ?? 0));
        // the axis in the unit that reads best for the longest time: minutes, hours or days
        var (unitSeconds, unitName) = max <= 3 * 3600 ? (60.0, "minutes") : max <= 3 * 86400 ? (3600.0, "hours") : (86400.0, "days");
        var span = max / unitSeconds;
        var height = Top + row * scenarios.Count + Bottom;
        double X(double seconds) => labelWidth + seconds / max * (Width - labelWidth - Right);
        sb.Append(F($"<svg class=\"ttr\" role=\"img\" aria-label=\"Time from injection to detection\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\">\n"));
        var tick = NiceStep(span / 6);
        for (var m = 0.0; m <= span + 1e-9; m += tick)
        {
            sb.Append(F($"<line class=\"grid\" x1=\"{X(m * unitSeconds):0.#}\" x2=\"{X(m * unitSeconds):0.#}\" y1=\"{Top}\" y2=\"{height - Bottom}\"/><text x=\"{X(m * unitSeconds):0.#}\" y=\"{height - Bottom + 16}\" text-anchor=\"middle\">{m:0.##}</text>\n"));
        }
        sb.Append(F($"<text x=\"{(labelWidth + Width - Right) / 2:0.#}\" y=\"{height - 10}\" text-anchor=\"middle\">{unitName} from injection to the first rollback, pause or traffic reduction (dots: runs; black: median; orange: p90)</text>\n"));
        for (var i = 0; i < scenarios.Count; i++)
        {
            var x = scenarios[i];
            var y = Top + row * i + row / 2;
            sb.Append(F($"<text x=\"{labelWidth - 8}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{E(x.Name)}</text>\n"));
            if (x.TimeToDetectionSeconds is not { } d)
            {
                sb.Append(F($"<text x=\"{labelWidth + 4}\" y=\"{y + 4:0.#}\">never detected</text>\n"));
                continue;
            }
            for (var k = 0; k < d.Values.Count; k++)
            {
                // a fixed spread over the row so equal times stay visible; no randomness in the page
                var jitter = (k % 7 - 3) * 2.2;
                sb.Append(F($"<circle class=\"dot\" cx=\"{X(d.Values[k]):0.##}\" cy=\"{y + jitter:0.##}\" r=\"2.5\"/>"));
            }
            sb.Append(F($"\n<line class=\"med\" x1=\"{X(d.Median):0.##}\" x2=\"{X(d.Median):0.##}\" y1=\"{y - 10:0.#}\" y2=\"{y + 10:0.#}\"><title>median {SweepText.Duration(d.Median)}</title></line>"));
            sb.Append(F($"<line class=\"p90\" x1=\"{X(d.P90):0.##}\" x2=\"{X(d.P90):0.##}\" y1=\"{y - 10:0.#}\" y2=\"{y + 10:0.#}\"><title>p90 {SweepText.Duration(d.P90)}</title></line>\n"));
        }
        sb.Append("</svg>\n");
    }

    private static void Table(StringBuilder sb, SweepSummary summary)
    {
        sb.Append("<section><h2>Scenarios</h2>\n<table id=\"scenarios\"><thead><tr><th>scenario</th><th>runs</th><th>false alarms</th><th>false-alarm rate (95 % CI)</th>")
          .Append("<th>detected</th><th>detection (95 % CI)</th><th>detected by</th><th>time to detection median / p90 / max</th><th>checks that detected it</th></tr></thead><tbody>\n");
        foreach (var x in summary.Scenarios)
        {
            var ttr = x.TimeToDetectionSeconds is { } t ? $"{SweepText.Duration(t.Median)} / {SweepText.Duration(t.P90)} / {SweepText.Duration(t.Max)}" : "—";
            sb.Append(F($"<tr><td>{E(x.Name)}</td><td class=\"num\">{x.Runs}</td><td class=\"num\">{x.FalseAlarms}</td><td>{SweepText.Percent(x.FalseAlarmRate)} ({SweepText.Interval(x.FalseAlarmCi95)})</td>"))
              .Append(F($"<td class=\"num\">{(x.Detected is { } k ? k.ToString(CultureInfo.InvariantCulture) : "—")}</td><td>{(x.DetectionRate is { } d ? $"{SweepText.Percent(d)} ({SweepText.Interval(x.DetectionCi95)})" : "—")}</td>"))
              .Append(F($"<td>{(x.Detected is null ? "—" : E(SweepText.Checks(x.DetectedBy)))}</td><td>{ttr}</td><td>{E(SweepText.Checks(x.DetectionChecks))}</td></tr>\n"));
        }
        sb.Append("</tbody></table></section>\n");
    }

    private static double NiceStep(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(raw, 1e-9))));
        foreach (var f in new[] { 1, 2, 5, 10 })
        {
            if (f * magnitude >= raw)
            {
                return f * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
