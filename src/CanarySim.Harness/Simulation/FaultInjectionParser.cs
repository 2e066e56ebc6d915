using System.Globalization;
using System.Text.RegularExpressions;
using CanarySim.Core.Rollout;
using CanarySim.Core.Routing;

namespace CanarySim.Harness.Simulation;

/// <summary>Parses <c>--inject</c> texts (and a plan's <c>inject:</c> list) into <see cref="FaultInjection"/>s, with errors that say what was expected.</summary>
public static partial class FaultInjectionParser
{
    private static readonly string Kinds = "latency, errors, timeouts, cost, quality, policy_violation, fallbacks, complaints, metrics.auth";

    [GeneratedRegex(@"^\s*(?:(?<engine>v1|v2)\.)?(?<what>metrics\.auth|[a-z_]+)\s*(?:(?<op>[+\-*x=])\s*(?<amount>[0-9]+(?:\.[0-9]+)?)\s*(?<unit>%|ms|s|c|¢|/h|pts?|points)?)?\s+at\s+(?<at>.+?)(?:\s+for\s+(?<for>\S+))?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();

    /// <summary>Parses one injection; <paramref name="start"/> resolves absolute times.</summary>
    /// <exception cref="FormatException">With a message naming the text and what was expected.</exception>
    public static FaultInjection Parse(string text, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(text);
        var m = Syntax().Match(text);
        if (!m.Success)
        {
            throw new FormatException($"cannot read injection '{text}': expected '[v1.|v2.]<what><op><amount> at <when> [for <duration>]', e.g. 'v2.latency+40% at day 9' or 'v2.errors=20% at day 10 for 2h'");
        }
        var engine = m.Groups["engine"].Success && m.Groups["engine"].Value.Equals("v1", StringComparison.OrdinalIgnoreCase) ? Engine.V1 : Engine.V2;
        var what = m.Groups["what"].Value.ToLowerInvariant();
        var op = m.Groups["op"].Success ? m.Groups["op"].Value.ToLowerInvariant() : "";
        var hasAmount = m.Groups["amount"].Success;
        var amount = hasAmount ? double.Parse(m.Groups["amount"].Value, CultureInfo.InvariantCulture) : 0;
        var unit = m.Groups["unit"].Success ? m.Groups["unit"].Value.ToLowerInvariant() : "";
        var at = ParseWhen(text, m.Groups["at"].Value, start);
        TimeSpan? lasts = null;
        if (m.Groups["for"].Success)
        {
            if (!PlanDuration.TryParse(m.Groups["for"].Value, out var d, out var why) || d <= TimeSpan.Zero)
            {
                throw new FormatException($"cannot read injection '{text}': 'for {m.Groups["for"].Value}': {(why.Length > 0 ? why : "expected a positive duration")}");
            }
            lasts = d;
        }
        FormatException Bad(string expected) => new($"cannot read injection '{text}': {expected}");
        double Share()
        {
            if (!hasAmount || op != "=")
            {
                throw Bad($"'{what}' takes a share, e.g. '{what}=20%'");
            }
            var share = unit == "%" ? amount / 100 : amount;
            if (share is < 0 or > 1)
            {
                throw Bad($"the share must be between 0 and 100 %, got {m.Groups["amount"].Value}{unit}");
            }
            return share;
        }
        var kind = what switch
        {
            "latency" or "latency_ms" or "p95" => FaultKind.Latency,
            "errors" or "error" or "error_rate" => FaultKind.Errors,
            "timeouts" or "timeout" => FaultKind.Timeouts,
            "cost" or "cost_cents" => FaultKind.Cost,
            "quality" => FaultKind.Quality,
            "policy_violation" or "policy_violations" or "violations" or "security_violation" => FaultKind.PolicyViolations,
            "fallbacks" or "fallback" or "fallback_storm" or "invalid_output" => FaultKind.Fallbacks,
            "complaints" or "complaint" => FaultKind.Complaints,
            "metrics.auth" or "auth" => FaultKind.MetricsAuth,
            _ => throw Bad($"unknown fault '{what}' (expected one of {Kinds})"),
        };
        var f = new FaultInjection { Text = text.Trim(), Engine = engine, Kind = kind, At = at, For = lasts };
        switch (kind)
        {
            case FaultKind.Latency:
            case FaultKind.Cost:
                if (!hasAmount)
                {
                    throw Bad($"'{what}' needs an amount, e.g. '{what}+40%', '{what}*1.5'" + (kind == FaultKind.Latency ? " or 'latency+800ms'" : " or 'cost x4'"));
                }
                return op switch
                {
                    "*" or "x" => f with { Factor = amount },
                    "+" when unit == "%" => f with { Factor = 1 + amount / 100 },
                    "-" when unit == "%" => f with { Factor = Math.Max(0, 1 - amount / 100) },
                    "+" => f with { Add = kind == FaultKind.Latency && unit == "s" ? amount * 1000 : amount },
                    "-" => f with { Add = -(kind == FaultKind.Latency && unit == "s" ? amount * 1000 : amount) },
                    _ => throw Bad($"'{what}' takes +N%, -N%, *F, xF or +N{(kind == FaultKind.Latency ? "ms" : "c")}, got '{op}'"),
                };
            case FaultKind.Quality:
                if (!hasAmount || op is not ("-" or "+"))
                {
                    throw Bad("'quality' takes points, e.g. 'quality-10'");
                }
                return f with { Add = op == "-" ? -amount : amount };
            case FaultKind.PolicyViolations:
                return hasAmount ? f with { Rate = Share() } : f with { Once = true, Rate = 1 };
            case FaultKind.Complaints:
                if (!hasAmount || op != "=")
                {
                    throw Bad("'complaints' takes a rate per hour, e.g. 'complaints=20/h'");
                }
                return f with { Rate = amount };
            case FaultKind.MetricsAuth:
                if (hasAmount)
                {
                    throw Bad("'metrics.auth' takes no amount, e.g. 'metrics.auth at day 3 for 30m'");
                }
                return f;
            default:
                return f with { Rate = Share() };
        }
    }

    /// <summary>Parses every text; the first bad one throws.</summary>
    public static IReadOnlyList<FaultInjection> ParseAll(IEnumerable<string> texts, DateTimeOffset start) => texts.Select(t => Parse(t, start)).ToList();

    private static TimeSpan ParseWhen(string text, string when, DateTimeOffset start)
    {
        var w = when.Trim().ToLowerInvariant();
        var parts = w.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0)
        {
            switch (parts[0])
            {
                case "day": return TimeSpan.FromDays(n);
                case "week": return TimeSpan.FromDays(7 * n);
                case "hour": return TimeSpan.FromHours(n);
                case "minute": return TimeSpan.FromMinutes(n);
            }
        }
        if (PlanDuration.TryParse(w, out var offset, out _))
        {
            return offset;
        }
        if (DateTimeOffset.TryParse(when, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var abs))
        {
            if (abs < start)
            {
                throw new FormatException($"cannot read injection '{text}': {abs:yyyy-MM-ddTHH:mm:ssZ} is before the plan start {start:yyyy-MM-ddTHH:mm:ssZ}");
            }
            return abs - start;
        }
        throw new FormatException($"cannot read injection '{text}': 'at {when}': expected 'day N' (N days after the start), 'week N', an offset such as 36h or 9d, or an ISO time");
    }
}
