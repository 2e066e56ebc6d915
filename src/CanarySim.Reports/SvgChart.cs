using System.Globalization;
using System.Net;
using System.Text;
using CanarySim.Core.Reporting;

namespace CanarySim.Reports;

/// <summary>A small self-contained SVG line chart (time on x) — no script, no external library.</summary>
internal sealed class SvgChart
{
    private const double Left = 64, Right = 16, Top = 14, Bottom = 30;
    private readonly List<(string Name, string Color, IReadOnlyList<(DateTimeOffset At, double? Value)> Points, bool Step, bool Fill)> _series = [];
    private readonly List<(double Value, string Label, string Color)> _thresholds = [];
    private readonly List<(DateTimeOffset From, DateTimeOffset To, string Label)> _bands = [];

    public SvgChart(string title, DateTimeOffset start, DateTimeOffset end, Func<double, string> format, double width = 1080, double height = 210)
    {
        Title = title;
        Start = start;
        End = end <= start ? start.AddSeconds(1) : end;
        Format = format;
        Width = width;
        Height = height;
    }

    public string Title { get; }
    public DateTimeOffset Start { get; }
    public DateTimeOffset End { get; }
    public Func<double, string> Format { get; }
    public double Width { get; }
    public double Height { get; }
    public double? FixedMax { get; init; }
    public double? FixedMin { get; init; }
    public IReadOnlyList<ReportMarker> Markers { get; init; } = [];
    public bool LabelMarkers { get; init; }

    public SvgChart Series(string name, string color, IReadOnlyList<(DateTimeOffset, double?)> points, bool step = false, bool fill = false)
    {
        _series.Add((name, color, points, step, fill));
        return this;
    }

    public SvgChart Threshold(double? value, string label, string color = "#b3261e")
    {
        if (value is { } v && !double.IsNaN(v))
        {
            _thresholds.Add((v, label, color));
        }
        return this;
    }

    public SvgChart Band(DateTimeOffset from, DateTimeOffset to, string label)
    {
        _bands.Add((from, to, label));
        return this;
    }

    public string Render()
    {
        var max = FixedMax ?? 0;
        if (FixedMax is null)
        {
            foreach (var s in _series)
            {
                foreach (var (_, v) in s.Points)
                {
                    if (v is { } x && x > max)
                    {
                        max = x;
                    }
                }
            }
            foreach (var t in _thresholds)
            {
                max = Math.Max(max, t.Value);
            }
            max = NiceCeiling(max * 1.12);
        }
        if (max <= 0)
        {
            max = 1;
        }
        var min = FixedMin ?? 0;
        if (min >= max)
        {
            min = 0;
        }
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        double X(DateTimeOffset t) => Left + plotW * Math.Clamp((t - Start).TotalSeconds / (End - Start).TotalSeconds, 0, 1);
        double Y(double v) => Top + plotH * (1 - Math.Clamp((v - min) / (max - min), 0, 1.02));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<figure class=\"chart\"><figcaption>{Enc(Title)}<span class=\"legend\">");
        foreach (var s in _series)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<span><i style=\"background:{s.Color}\"></i>{Enc(s.Name)}</span>");
        }
        foreach (var t in _thresholds)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<span><i class=\"dash\" style=\"border-color:{t.Color}\"></i>{Enc(t.Label)}</span>");
        }
        svg.Append("</span></figcaption>");
        svg.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {N(Width)} {N(Height)}\" width=\"100%\" role=\"img\" aria-label=\"{Enc(Title)}\" xmlns=\"http://www.w3.org/2000/svg\">");
        var band = 0;
        foreach (var (from, to, label) in _bands)
        {
            var x1 = X(from);
            var x2 = X(to);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x1)}\" y=\"{N(Top)}\" width=\"{N(Math.Max(0, x2 - x1))}\" height=\"{N(plotH)}\" fill=\"{(band++ % 2 == 0 ? "#f3f5fb" : "#e9edf7")}\"><title>{Enc(label)}</title></rect>");
            if (x2 - x1 > 34)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x1 + 4)}\" y=\"{N(Top + 12)}\" class=\"band\">{Enc(label)}</text>");
            }
        }
        // y grid
        for (var i = 0; i <= 4; i++)
        {
            var v = min + (max - min) * i / 4;
            var y = Y(v);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(Left)}\" x2=\"{N(Width - Right)}\" y1=\"{N(y)}\" y2=\"{N(y)}\" class=\"grid\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Left - 6)}\" y=\"{N(y + 4)}\" class=\"ylab\">{Enc(Format(v))}</text>");
        }
        // x ticks: whole days, at most ~12
        var days = Math.Max(1, (End - Start).TotalDays);
        var stepDays = days <= 12 ? 1 : days <= 24 ? 2 : days <= 84 ? 7 : 14;
        if (days < 2)
        {
            var hours = (End - Start).TotalHours;
            var stepH = hours <= 12 ? 1 : hours <= 24 ? 2 : 6;
            for (var h = 0.0; h <= hours + 1e-9; h += stepH)
            {
                var x = X(Start.AddHours(h));
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(x)}\" x2=\"{N(x)}\" y1=\"{N(Top + plotH)}\" y2=\"{N(Top + plotH + 4)}\" class=\"axis\"/><text x=\"{N(x)}\" y=\"{N(Height - 10)}\" class=\"xlab\">{Start.AddHours(h).UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)}</text>");
            }
        }
        else
        {
            for (var d = 0; d <= days + 1e-9; d += stepDays)
            {
                var x = X(Start.AddDays(d));
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(x)}\" x2=\"{N(x)}\" y1=\"{N(Top + plotH)}\" y2=\"{N(Top + plotH + 4)}\" class=\"axis\"/><text x=\"{N(x)}\" y=\"{N(Height - 10)}\" class=\"xlab\">{Start.AddDays(d).UtcDateTime.ToString("MMM d", CultureInfo.InvariantCulture)}</text>");
            }
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(Left)}\" x2=\"{N(Width - Right)}\" y1=\"{N(Top + plotH)}\" y2=\"{N(Top + plotH)}\" class=\"axis\"/>");
        foreach (var s in _series)
        {
            var path = new StringBuilder();
            var open = false;
            double lastY = 0;
            foreach (var (at, v) in s.Points)
            {
                if (v is not { } val || double.IsNaN(val))
                {
                    open = false;
                    continue;
                }
                var x = X(at);
                var y = Y(val);
                if (!open)
                {
                    path.Append(CultureInfo.InvariantCulture, $"M{N(x)} {N(y)}");
                    open = true;
                }
                else if (s.Step)
                {
                    path.Append(CultureInfo.InvariantCulture, $"L{N(x)} {N(lastY)}L{N(x)} {N(y)}");
                }
                else
                {
                    path.Append(CultureInfo.InvariantCulture, $"L{N(x)} {N(y)}");
                }
                lastY = y;
            }
            if (s.Fill && s.Points.Count > 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}L{N(X(s.Points[^1].At))} {N(Top + plotH)}L{N(X(s.Points[0].At))} {N(Top + plotH)}Z\" fill=\"{s.Color}\" fill-opacity=\"0.16\" stroke=\"none\"/>");
            }
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"1.6\" stroke-linejoin=\"round\"><title>{Enc(s.Name)}</title></path>");
        }
        foreach (var (value, label, color) in _thresholds)
        {
            var y = Y(value);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(Left)}\" x2=\"{N(Width - Right)}\" y1=\"{N(y)}\" y2=\"{N(y)}\" stroke=\"{color}\" stroke-dasharray=\"6 4\" stroke-width=\"1.2\"><title>{Enc(label)}</title></line>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Width - Right - 4)}\" y=\"{N(y - 4)}\" class=\"thr\" fill=\"{color}\">{Enc(label)}</text>");
        }
        var labelRow = 0;
        foreach (var m in Markers)
        {
            var x = X(m.At);
            var color = MarkerColor(m.Kind);
            var dash = m.Kind is "injection" ? " stroke-dasharray=\"3 3\"" : "";
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(x)}\" x2=\"{N(x)}\" y1=\"{N(Top)}\" y2=\"{N(Top + plotH)}\" stroke=\"{color}\" stroke-width=\"1.4\"{dash}><title>{Enc(m.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + m.Kind + ": " + m.Label)}</title></line>");
            if (LabelMarkers && m.Kind is "promotion" or "rollback" or "injection" or "reduce")
            {
                var y = Top + 26 + (labelRow++ % 4) * 12;
                var anchor = x > Width - 180 ? "end" : "start";
                var dx = anchor == "end" ? -3 : 3;
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x + dx)}\" y=\"{N(y)}\" class=\"mark\" text-anchor=\"{anchor}\" fill=\"{color}\">{Enc(m.Label)}</text>");
            }
        }
        svg.Append("</svg></figure>\n");
        return svg.ToString();
    }

    internal static string MarkerColor(string kind) => kind switch
    {
        "promotion" => "#15803d",
        "breach" => "#d97706",
        "rollback" => "#b3261e",
        "injection" => "#7c3aed",
        "gate" => "#2563eb",
        "slowdown" => "#a16207",
        "reduce" => "#ea580c",
        _ => "#555",
    };

    private static double NiceCeiling(double v)
    {
        if (v <= 0)
        {
            return 1;
        }
        var mag = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (var f in new[] { 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 })
        {
            if (f * mag >= v)
            {
                return f * mag;
            }
        }
        return 10 * mag;
    }

    private static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
