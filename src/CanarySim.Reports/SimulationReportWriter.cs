using System.Globalization;
using System.Net;
using System.Text;
using CanarySim.Core;
using CanarySim.Core.Reporting;
using CanarySim.Core.Rollout;

namespace CanarySim.Reports;

/// <summary>
/// Renders a <see cref="SimulationReport"/> as one self-contained HTML page (inline CSS, inline SVG
/// charts drawn by <c>SvgChart</c>, no script, readable offline): traffic share over time with the
/// stages as bands, v1/v2 metrics with the detector thresholds drawn, markers at each promotion,
/// breach, injection and rollback, the injected-fault table with time to rollback, and the verdict trail.
/// The page depends only on the report, so the same run renders the same bytes.
/// </summary>
public static class SimulationReportWriter
{
    /// <summary>Renders the page.</summary>
    public static string Render(SimulationReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var h = new StringBuilder();
        h.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        h.Append("<title>").Append(E(r.Title)).Append("</title><style>").Append(Css).Append("</style></head><body>\n");
        var outcomeClass = r.Outcome switch { SimulationOutcome.Completed => "ok", SimulationOutcome.RolledBack => "bad", _ => "warn" };
        h.Append("<header><h1>").Append(E(r.Title)).Append("</h1>");
        if (r.Description.Length > 0)
        {
            h.Append("<p class=\"muted\">").Append(E(r.Description)).Append("</p>");
        }
        h.Append("<p class=\"verdict ").Append(outcomeClass).Append("\">").Append(E(r.Verdict)).Append("</p></header>\n");

        // Summary cards
        h.Append("<section class=\"cards\">");
        Card(h, "Outcome", WireName.Of(r.Outcome).Replace('_', ' '), outcomeClass);
        Card(h, "Final stage", $"{r.FinalStage} · {Pct(r.FinalPercent)}");
        Card(h, "Virtual period", $"{Day(r.Start)} → {Day(r.End)} ({PlanDuration.Format(r.End - r.Start)})");
        Card(h, "Requests", $"{r.Requests.ToString("N0", CultureInfo.InvariantCulture)} ({Share(r.V2Served, r.Requests)} on v2)");
        Card(h, "Fallbacks to v1", r.Fallbacks.ToString("N0", CultureInfo.InvariantCulture));
        Card(h, "Detector evaluations", r.Evaluations.ToString("N0", CultureInfo.InvariantCulture));
        var ttr = r.Injections.Where(i => i.TimeToRollback is not null).Select(i => i.TimeToRollback!.Value).ToList();
        if (ttr.Count > 0)
        {
            Card(h, "Injected regression → rollback", PlanDuration.Format(ttr.Min()), "bad");
        }
        Card(h, "Seed · engines", $"{r.Seed.ToString(CultureInfo.InvariantCulture)} · {r.Engines}");
        h.Append("</section>\n");

        var s = r.Series;
        var bands = r.Stages.Select(st => (st.Entered, st.Left ?? r.End, $"{st.Name} ({Pct(st.Percent)})")).ToList();
        SvgChart Chart(string title, Func<double, string> fmt, bool label = false, double? fixedMax = null, double? fixedMin = null)
        {
            var c = new SvgChart(title, r.Start, r.End, fmt) { Markers = r.Markers, LabelMarkers = label, FixedMax = fixedMax, FixedMin = fixedMin };
            foreach (var (from, to, text) in bands)
            {
                c.Band(from, to, text);
            }
            return c;
        }
        h.Append("<section><h2>Traffic and health over time</h2>");
        h.Append("<p class=\"legend-line\">");
        foreach (var kind in new[] { "promotion", "breach", "reduce", "rollback", "injection" })
        {
            h.Append("<span><i style=\"background:").Append(SvgChart.MarkerColor(kind)).Append("\"></i>").Append(kind).Append("</span>");
        }
        h.Append("</p>");
        h.Append(Chart("Traffic share on v2 (%)", v => v.ToString("0", CultureInfo.InvariantCulture) + "%", label: true, fixedMax: 100)
            .Series("served by v2", "#2563eb", P(s, b => b.Requests == 0 ? null : 100.0 * b.V2Served / b.Requests), fill: true)
            .Series("router canary %", "#0f172a", P(s, b => b.CanaryPercent), step: true)
            .Render());
        h.Append(Chart("Latency p95 (ms)", v => v.ToString("0", CultureInfo.InvariantCulture))
            .Series("v1 p95", "#64748b", P(s, b => b.V1P95)).Series("v2 p95", "#2563eb", P(s, b => b.V2P95))
            .Threshold(r.Thresholds.LatencyP95Ms, $"latency limit {Num(r.Thresholds.LatencyP95Ms)} ms")
            .Render());
        var qualityLimit = s.Select(b => b.V1Quality).LastOrDefault(q => q is not null) is { } lastV1 && r.Thresholds.QualityDrop is { } qd ? lastV1 - qd : (double?)null;
        var lowestQuality = s.SelectMany(b => new[] { b.V1Quality, b.V2Quality }).Where(q => q is not null).Select(q => q!.Value).DefaultIfEmpty(100).Min();
        var qualityBelow = Math.Max(0, Math.Floor(Math.Min(lowestQuality, qualityLimit ?? 100) / 10) * 10 - 10);
        // The axis has four grid steps: a span below 100 that is a multiple of 20 labels them in whole points (60, 70, …).
        var qualityFloor = Math.Max(0, 100 - Math.Ceiling((100 - qualityBelow) / 20) * 20);
        h.Append(Chart("Mean quality (0–100)", v => v.ToString("0", CultureInfo.InvariantCulture), fixedMax: 100, fixedMin: qualityFloor)
            .Series("v1 quality", "#64748b", P(s, b => b.V1Quality)).Series("v2 quality", "#2563eb", P(s, b => b.V2Quality))
            .Threshold(qualityLimit, $"v1 − {Num(r.Thresholds.QualityDrop)} (quality drop limit)")
            .Render());
        h.Append(Chart("Error and fallback rate (%)", v => v.ToString("0.#", CultureInfo.InvariantCulture) + "%")
            .Series("v1 errors", "#64748b", P(s, b => b.V1ErrorRate * 100)).Series("v2 errors", "#2563eb", P(s, b => b.V2ErrorRate * 100))
            .Series("v2 fallbacks", "#ea580c", P(s, b => b.V2FallbackRate * 100))
            .Threshold(r.Thresholds.ErrorRate * 100, $"error limit {Num(r.Thresholds.ErrorRate * 100)}%")
            .Threshold(r.Thresholds.FallbackRate * 100, $"fallback limit {Num(r.Thresholds.FallbackRate * 100)}%", "#c2410c")
            .Render());
        h.Append(Chart("Mean cost (cents per run)", v => v.ToString("0.0", CultureInfo.InvariantCulture))
            .Series("v1 cost", "#64748b", P(s, b => b.V1Cost)).Series("v2 cost", "#2563eb", P(s, b => b.V2Cost))
            .Threshold(r.Thresholds.CostCents, $"cost limit {Num(r.Thresholds.CostCents)}¢")
            .Render());
        h.Append("</section>\n");

        if (r.Injections.Count > 0)
        {
            h.Append("<section><h2>Injected faults</h2><table><thead><tr><th>Injection</th><th>From</th><th>Until</th><th>First breach</th><th>Checks</th><th>Action</th><th>Time to detect</th><th>Time to rollback</th></tr></thead><tbody>");
            foreach (var i in r.Injections)
            {
                h.Append("<tr><td><code>").Append(E(i.Text)).Append("</code></td><td>").Append(Ts(i.Start)).Append("</td><td>").Append(i.End is { } e ? Ts(e) : "end").Append("</td><td>")
                 .Append(i.FirstBreachAt is { } b ? Ts(b) : "never").Append("</td><td>").Append(E(string.Join(", ", i.FirstBreachChecks))).Append("</td><td>").Append(E(i.Action)).Append("</td><td>")
                 .Append(i.TimeToDetect is { } d ? PlanDuration.Format(d) : "—").Append("</td><td class=\"").Append(i.TimeToRollback is null ? "" : "bad").Append("\">")
                 .Append(i.TimeToRollback is { } t ? PlanDuration.Format(t) : "not rolled back").Append("</td></tr>");
            }
            h.Append("</tbody></table></section>\n");
        }

        h.Append("<section><h2>Stages</h2><table><thead><tr><th>Stage</th><th>Kind</th><th>Traffic</th><th>Entered</th><th>Left</th><th>Held</th><th>Outcome</th></tr></thead><tbody>");
        foreach (var st in r.Stages)
        {
            h.Append("<tr><td>").Append(E(st.Name)).Append("</td><td>").Append(E(st.Kind)).Append("</td><td>").Append(Pct(st.Percent)).Append("</td><td>").Append(Ts(st.Entered))
             .Append("</td><td>").Append(st.Left is { } l ? Ts(l) : "—").Append("</td><td>").Append(PlanDuration.Format((st.Left ?? r.End) - st.Entered)).Append("</td><td>").Append(E(st.Outcome)).Append("</td></tr>");
        }
        h.Append("</tbody></table></section>\n");

        if (r.Gates.Count > 0)
        {
            h.Append("<section><h2>Gates</h2><table><thead><tr><th>When</th><th>Stage</th><th>Gate</th><th>Result</th><th>Detail</th></tr></thead><tbody>");
            foreach (var g in r.Gates)
            {
                h.Append("<tr><td>").Append(Ts(g.At)).Append("</td><td>").Append(E(g.Stage)).Append("</td><td>").Append(E(g.Gate)).Append("</td><td class=\"")
                 .Append(g.Passed ? "ok\">pass" : "bad\">fail").Append("</td><td>").Append(E(g.Detail)).Append("</td></tr>");
            }
            h.Append("</tbody></table></section>\n");
        }

        h.Append("<section><h2>Verdict trail</h2><p class=\"muted\">Each row is an evaluation whose verdict or action differs from the one before; <em>repeats</em> counts the evaluations that followed unchanged.</p>");
        h.Append("<table><thead><tr><th>When</th><th>Stage</th><th>Traffic</th><th>Verdict</th><th>Action</th><th>Repeats</th><th>Breaches</th></tr></thead><tbody>");
        foreach (var v in r.VerdictTrail)
        {
            var cls = v.Verdict switch { "pass" => "ok", "fail" => "bad", _ => "warn" };
            h.Append("<tr><td>").Append(Ts(v.At)).Append("</td><td>").Append(E(v.Stage)).Append("</td><td>").Append(Pct(v.Percent)).Append("</td><td class=\"").Append(cls).Append("\">")
             .Append(E(v.Verdict)).Append("</td><td>").Append(E(v.Action)).Append("</td><td>").Append(v.Repeats.ToString("N0", CultureInfo.InvariantCulture)).Append("</td><td>")
             .Append(E(string.Join("; ", v.Breaches))).Append("</td></tr>");
        }
        h.Append("</tbody></table></section>\n");
        h.Append("<footer class=\"muted\">CanarySim simulation of plan <code>").Append(E(r.Plan)).Append("</code>, seed ").Append(r.Seed.ToString(CultureInfo.InvariantCulture))
         .Append(". Virtual time only: the same plan and seed render this page byte for byte.");
        if (r.EvidenceHref is { } ev)
        {
            h.Append(" Evidence log: <a href=\"").Append(E(ev)).Append("\">").Append(E(ev)).Append("</a>.");
        }
        h.Append("</footer>\n</body></html>\n");
        return h.ToString();
    }

    private static IReadOnlyList<(DateTimeOffset, double?)> P(IReadOnlyList<ChartBucket> s, Func<ChartBucket, double?> f)
    {
        var list = new (DateTimeOffset, double?)[s.Count];
        for (var i = 0; i < s.Count; i++)
        {
            list[i] = (s[i].At, f(s[i]));
        }
        return list;
    }

    private static void Card(StringBuilder h, string label, string value, string cls = "") =>
        h.Append("<div class=\"card\"><div class=\"label\">").Append(E(label)).Append("</div><div class=\"value ").Append(cls).Append("\">").Append(E(value)).Append("</div></div>");

    private static string E(string s) => WebUtility.HtmlEncode(s);
    private static string Pct(double p) => p.ToString("0.##", CultureInfo.InvariantCulture) + " %";
    private static string Num(double? v) => v is { } x ? x.ToString("0.##", CultureInfo.InvariantCulture) : "";
    private static string Day(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string Ts(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    private static string Share(long part, long whole) => whole == 0 ? "0 %" : ((double)part / whole * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    /// <summary>The report pages' shared stylesheet (type, colours, tables, cards, charts).</summary>
    internal const string Css = """
        :root{--ink:#1d2330;--muted:#5b6475;--line:#dfe3ec;--ok:#15803d;--bad:#b3261e;--warn:#a16207}
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0 auto;max-width:1140px;padding:1.5rem 1.25rem 3rem;background:#fff}
        h1{font-size:1.55rem;margin:.2rem 0}h2{font-size:1.1rem;margin:2rem 0 .6rem;border-bottom:1px solid var(--line);padding-bottom:.3rem}
        .muted{color:var(--muted)}.ok{color:var(--ok)}.bad{color:var(--bad)}.warn{color:var(--warn)}
        .verdict{font-size:1.1rem;font-weight:600;margin:.4rem 0 0}
        .cards{display:grid;grid-template-columns:repeat(4,1fr);gap:.6rem;margin-top:1rem}
        .card{border:1px solid var(--line);border-radius:8px;padding:.55rem .7rem;background:#fafbfe}
        .card .label{font-size:.75rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}.card .value{font-size:1rem;font-weight:600;margin-top:.15rem}
        figure.chart{margin:.4rem 0 1rem}figcaption{font-weight:600;font-size:.92rem;margin-bottom:.2rem}
        .legend{font-weight:400;font-size:.8rem;color:var(--muted);margin-left:1rem}.legend span,.legend-line span{margin-right:.9rem;white-space:nowrap}
        .legend i,.legend-line i{display:inline-block;width:.9rem;height:.25rem;vertical-align:middle;margin-right:.3rem;border-radius:2px}
        .legend i.dash{height:0;border-top:2px dashed;background:none}.legend-line{font-size:.8rem;color:var(--muted)}
        svg text{font-family:inherit;font-size:10.5px}svg .grid{stroke:#e6e9f0}svg .axis{stroke:#9aa3b5}
        svg .ylab{text-anchor:end;fill:#5b6475}svg .xlab{text-anchor:middle;fill:#5b6475}svg .thr{text-anchor:end;font-weight:600}
        svg .band{fill:#7b8498;font-size:10px}svg .mark{font-size:10px;font-weight:600}
        table{border-collapse:collapse;width:100%;font-size:.86rem}th,td{text-align:left;padding:.32rem .45rem;border-bottom:1px solid #eef0f5;vertical-align:top}
        th{background:#f6f7fb;font-weight:600}td.ok,td.bad,td.warn{font-weight:600}code{font-size:.85em;background:#f3f4f8;padding:0 .25em;border-radius:3px}
        footer{margin-top:2rem;font-size:.8rem}
        """;
}
