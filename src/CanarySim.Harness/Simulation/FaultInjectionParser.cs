using System.Globalization;
using System.Text.RegularExpressions;
using CanarySim.Core.Rollout;
using CanarySim.Core.Routing;

namespace CanarySim.Harness.Simulation;

/// <summary>Parses <c>--inject</c> texts (and a plan's <c>inject:</c> list) into <see cref="FaultInjection"/>s, with errors that say what was expected.</summary>
public static partial class FaultInjectionParser
{
    private static readonly string[] Kinds = ["latency", "errors", "timeouts", "cost", "quality", "policy_violation", "fallbacks", "complaints", "metrics.auth", "stall"];

    [GeneratedRegex(@"^\s*(?:(?<engine>v1|v2)\.)?(?<what>metrics\.auth|[a-z_][a-z0-9_]*)\s*(?:(?<op>[+\-*x=])\s*(?<amount>[0-9]+(?:\.[0-9]+)?)\s*(?<unit>%|ms|s|c|¢|/h|pts?|points)?)?(?:\s+for\s+(?<agent>[a-z_][a-z0-9_\-]*))?\s+at\s+(?<at>.+?)(?:\s+for\s+(?<for>\S+))?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();

    /// <summary>Parses one injection; <paramref name="start"/> resolves absolute times.</summary>
    /// <exception cref="FormatException">With a message naming the text and what was expected.</exception>
    public static FaultInjection Parse(string text, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(text);
        var m = Syntax().Match(text);
        if (!m.Success)
        {
            throw new FormatException($"cannot read injection '{text}': expected '[v1.|v2.]<what><op><amount> [for <agent>] at <when> [for <duration>]', e.g. 'v2.latency+40% at day 9', 'v2.errors=20% at day 10 for 2h' or 'v2.llm_call=35% for SICK_CALLER at day 2'");
        }
        var engine = m.Groups["engine"].Success && m.Groups["engine"].Value.Equals("v1", StringComparison.OrdinalIgnoreCase) ? Engine.V1 : Engine.V2;
        var written = m.Groups["what"].Value;
        var what = written.ToLowerInvariant();
        var agent = m.Groups["agent"].Success ? m.Groups["agent"].Value : null;
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
            "stall" or "stalled" or "pipeline_stall" => FaultKind.Stall,
            _ => FaultKind.Metric, // an application metric; Check names it unknown when neither the plan nor the policy has it
        };
        if (agent is not null && kind != FaultKind.Metric)
        {
            throw Bad($"'for {agent}' (one agent's runs) applies to application metrics such as 'v2.llm_call=35% for SICK_CALLER at day 2', not to '{what}'");
        }
        var f = new FaultInjection { Text = text.Trim(), Engine = engine, Kind = kind, At = at, For = lasts, Agent = agent };
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
            case FaultKind.Stall:
                if (hasAmount || engine != Engine.V2)
                {
                    throw Bad("'stall' is v2's execution pipeline stalling and takes no amount, e.g. 'v2.stall at day 3 for 2h'");
                }
                return f;
            case FaultKind.Metric:
                return Metric(f with { Metric = written }, written, op, hasAmount, amount, unit, Bad);
            default:
                return f with { Rate = Share() };
        }
    }

    /// <summary>Parses every text; the first bad one throws.</summary>
    public static IReadOnlyList<FaultInjection> ParseAll(IEnumerable<string> texts, DateTimeOffset start) => texts.Select(t => Parse(t, start)).ToList();

    /// <summary>
    /// Refuses injections that start at or after the end of the simulated period (e.g. <c>at day 9</c> in a plan of
    /// <c>duration: 2m</c>): they would never take effect, and the run would read as if the policy had missed them.
    /// </summary>
    /// <exception cref="FormatException">Naming the injection, when it starts and the plan's duration.</exception>
    public static void CheckWithin(IEnumerable<FaultInjection> injections, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(injections);
        foreach (var f in injections.Where(f => f.At >= duration))
        {
            throw new FormatException($"injection '{f.Text}' starts {PlanDuration.Format(f.At)} after the plan's start, " +
                $"but the plan simulates {PlanDuration.Format(duration)} (its duration): it would never take effect");
        }
    }

    /// <summary>
    /// Refuses application-metric injections that name a metric nothing knows (a typo such as <c>v2.latncy+40%</c>):
    /// <paramref name="metrics"/> are the metrics the plan's runs carry and the policy's checks read.
    /// </summary>
    /// <exception cref="FormatException">Naming the injection, the unknown name and the closest fault or metric.</exception>
    public static void Check(IEnumerable<FaultInjection> injections, IReadOnlyCollection<string> metrics)
    {
        ArgumentNullException.ThrowIfNull(injections);
        ArgumentNullException.ThrowIfNull(metrics);
        foreach (var f in injections)
        {
            if (f.Kind != FaultKind.Metric || f.Metric == "tokens" || metrics.Contains(f.Metric!))
            {
                continue;
            }
            var hint = FieldHint.For(f.Metric!, Kinds.Concat(metrics).Append("tokens").ToList());
            throw new FormatException($"cannot read injection '{f.Text}': unknown fault or metric '{f.Metric}'" +
                (hint.StartsWith(" (did you mean", StringComparison.Ordinal) ? hint : "") +
                $"; faults: {string.Join(", ", Kinds)}; metrics of this plan and policy: {string.Join(", ", metrics.Order(StringComparer.Ordinal).Append("tokens"))}");
        }
    }

    private static FaultInjection Metric(FaultInjection f, string name, string op, bool hasAmount, double amount, string unit, Func<string, FormatException> bad)
    {
        if (unit is not ("" or "%"))
        {
            throw bad($"a metric amount is a plain number or a percentage, e.g. '{name}=35%', '{name}=4500' or '{name}+25%', got '{unit}'");
        }
        if (!hasAmount)
        {
            return f with { Once = true, Value = 1, Rate = 1 }; // one run reports it (a single event)
        }
        return op switch
        {
            "=" when unit == "%" => amount <= 100 ? f with { Share = true, Rate = amount / 100, Value = 1 }
                : throw bad($"the share must be between 0 and 100 %, got {amount.ToString(CultureInfo.InvariantCulture)}%"),
            "=" => f with { Value = amount },
            "*" or "x" => f with { Factor = amount },
            "+" when unit == "%" => f with { Factor = 1 + amount / 100 },
            "-" when unit == "%" => f with { Factor = Math.Max(0, 1 - amount / 100) },
            "+" => f with { Add = amount },
            _ => f with { Add = -amount },
        };
    }

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
