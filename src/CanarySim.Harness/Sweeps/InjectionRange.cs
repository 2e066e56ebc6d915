using System.Globalization;
using System.Text.RegularExpressions;
using CanarySim.Harness.Simulation;

namespace CanarySim.Harness.Sweeps;

/// <summary>
/// Expands sweep injections into scenarios. An injection is either one fault as <c>simulate --inject</c> takes it, or a
/// range <c>&lt;what&gt;&lt;from&gt;..&lt;to&gt; step &lt;step&gt; at &lt;when&gt; [for &lt;duration&gt;]</c>, e.g.
/// <c>v2.latency+10%..+80% step 10% at day 9</c> (eight steps) or <c>v2.quality-2..-10 step -2 at day 9</c>.
/// </summary>
public static partial class InjectionRange
{
    [GeneratedRegex(@"^\s*(?<what>(?:v1\.|v2\.)?[a-z_.]+)\s*(?<op>[+\-*x=])\s*(?<from>[0-9]+(?:\.[0-9]+)?)\s*(?<unit>%|ms|s|c|¢|/h|pts?|points)?\s*\.\.\s*(?<op2>[+\-*x=])?\s*(?<to>[0-9]+(?:\.[0-9]+)?)\s*(?<unit2>%|ms|s|c|¢|/h|pts?|points)?\s+step\s+(?<sign>[+\-])?\s*(?<step>[0-9]+(?:\.[0-9]+)?)\s*(?<unit3>%|ms|s|c|¢|/h|pts?|points)?\s+(?<rest>at\s+.+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RangeSyntax();

    /// <summary>At most this many steps in one range.</summary>
    public const int MaxSteps = 1000;

    /// <summary>The healthy scenario first, then every injection (ranges expanded in order); repeated names are kept once.</summary>
    /// <exception cref="FormatException">Naming the injection and what is wrong.</exception>
    public static IReadOnlyList<SweepScenario> Scenarios(IEnumerable<string> injections, DateTimeOffset planStart)
    {
        ArgumentNullException.ThrowIfNull(injections);
        var list = new List<SweepScenario> { SweepScenario.Healthy };
        var seen = new HashSet<string>(StringComparer.Ordinal) { SweepScenario.HealthyName };
        foreach (var text in injections)
        {
            foreach (var scenario in Expand(text, planStart))
            {
                if (seen.Add(scenario.Name))
                {
                    list.Add(scenario);
                }
            }
        }
        return list;
    }

    /// <summary>One injection or every step of a range, as scenarios.</summary>
    /// <exception cref="FormatException">Naming the injection and what is wrong.</exception>
    public static IReadOnlyList<SweepScenario> Expand(string text, DateTimeOffset planStart)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("..", StringComparison.Ordinal))
        {
            var single = FaultInjectionParser.Parse(text, planStart);
            return [new SweepScenario { Name = single.Text, Injection = single }];
        }
        var m = RangeSyntax().Match(text);
        if (!m.Success)
        {
            throw new FormatException($"cannot read injection range '{text}': expected '<what><from>..<to> step <step> at <when> [for <duration>]', e.g. 'v2.latency+10%..+80% step 10% at day 9'");
        }
        FormatException Bad(string why) => new($"injection range '{text}': {why}");
        var what = m.Groups["what"].Value;
        var op = m.Groups["op"].Value.ToLowerInvariant();
        var op2 = m.Groups["op2"].Success ? m.Groups["op2"].Value.ToLowerInvariant() : op;
        var unit = m.Groups["unit"].Success ? m.Groups["unit"].Value : "";
        var unit2 = m.Groups["unit2"].Success ? m.Groups["unit2"].Value : unit;
        var unit3 = m.Groups["unit3"].Success ? m.Groups["unit3"].Value : unit;
        if (!string.Equals(unit, unit2, StringComparison.OrdinalIgnoreCase) || !string.Equals(unit, unit3, StringComparison.OrdinalIgnoreCase))
        {
            throw Bad($"from, to and step must share one unit, got '{unit}', '{unit2}' and '{unit3}'");
        }
        var signed = op is "+" or "-";
        if (signed ? op2 is not ("+" or "-") : op2 != op)
        {
            throw Bad($"from and to must use the same kind of operator, got '{op}' and '{op2}'");
        }
        var from = Amount(op, m.Groups["from"].Value);
        var to = Amount(op2, m.Groups["to"].Value);
        var step = decimal.Parse(m.Groups["step"].Value, CultureInfo.InvariantCulture) * (m.Groups["sign"].Value == "-" ? -1 : 1);
        if (step == 0)
        {
            throw Bad("the step must not be zero");
        }
        if (to != from && Math.Sign(to - from) != Math.Sign(step))
        {
            throw Bad($"the step {Format(step, true)}{unit} goes away from {Format(to, signed)}{unit}: use a {(to > from ? "positive" : "negative")} step");
        }
        var count = (long)decimal.Floor((to - from) / step) + 1;
        if (count > MaxSteps)
        {
            throw Bad($"{count:N0} steps; at most {MaxSteps:N0}");
        }
        var rest = m.Groups["rest"].Value.Trim();
        var scenarios = new List<SweepScenario>();
        for (var k = 0; k < count; k++)
        {
            var v = from + k * step;
            var stepText = signed ? $"{what}{Format(v, true)}{unit} {rest}" : $"{what}{op}{Format(v, false)}{unit} {rest}";
            FaultInjection f;
            try
            {
                f = FaultInjectionParser.Parse(stepText, planStart);
            }
            catch (FormatException ex)
            {
                throw Bad($"step '{stepText}': {ex.Message}");
            }
            scenarios.Add(new SweepScenario { Name = f.Text, Injection = f, Range = text.Trim(), Size = (double)v, Unit = unit });
        }
        return scenarios;
    }

    private static decimal Amount(string op, string digits)
    {
        var v = decimal.Parse(digits, CultureInfo.InvariantCulture);
        return op == "-" ? -v : v;
    }

    private static string Format(decimal v, bool signed)
    {
        var s = Math.Abs(v).ToString("0.############", CultureInfo.InvariantCulture);
        return signed ? (v < 0 ? "-" : "+") + s : s;
    }
}
