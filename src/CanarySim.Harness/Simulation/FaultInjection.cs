using System.Globalization;
using CanarySim.Core;
using CanarySim.Core.Routing;

namespace CanarySim.Harness.Simulation;

/// <summary>
/// One injected fault: which engine, what changes, by how much, from when, for how long. Written as
/// <c>[v1.|v2.]&lt;what&gt;&lt;op&gt;&lt;amount&gt; at &lt;when&gt; [for &lt;duration&gt;]</c>, e.g.
/// <c>v2.latency+40% at day 9</c>, <c>v2.errors=20% at day 10 for 2h</c>, <c>v2.cost x4 at 12d</c>,
/// <c>v2.quality-10 at day 20</c>, <c>v2.policy_violation at day 15</c>, <c>fallbacks=30% at day 9 for 1h</c>,
/// <c>complaints=20/h at day 4 for 2h</c>, <c>metrics.auth at day 3 for 30m</c>, an application metric such as
/// <c>v2.llm_call=35% for SICK_CALLER at day 2</c>, <c>v2.staff_response_ms+25% at day 3</c>, <c>v2.tokens=4500 at 36h for 5m</c>
/// or <c>v2.anomaly at day 2</c> (one run), and <c>v2.stall at day 3 for 2h</c>. Parse with <see cref="FaultInjectionParser"/>.
/// </summary>
public sealed record FaultInjection
{
    /// <summary>The text as written.</summary>
    public required string Text { get; init; }
    /// <summary>The engine affected (v2 unless written <c>v1.</c>).</summary>
    public Engine Engine { get; init; } = Engine.V2;
    /// <summary>What changes.</summary>
    public required FaultKind Kind { get; init; }
    /// <summary>Multiplier (latency, cost); 1 when additive.</summary>
    public double Factor { get; init; } = 1;
    /// <summary>Additive amount: ms for latency, cents for cost, points for quality (negative = drop).</summary>
    public double Add { get; init; }
    /// <summary>Probability per run (errors, timeouts, violations, fallbacks) or complaints per hour.</summary>
    public double Rate { get; init; }
    /// <summary>A single event (bare <c>policy_violation</c>): only the first matching run is affected.</summary>
    public bool Once { get; init; }
    /// <summary>The application metric (<see cref="FaultKind.Metric"/>), e.g. <c>llm_call</c>; null for the other kinds.</summary>
    public string? Metric { get; init; }
    /// <summary>Only this agent's runs (<c>for SICK_CALLER</c>); null = every agent.</summary>
    public string? Agent { get; init; }
    /// <summary>
    /// <see cref="FaultKind.Metric"/>: the value the affected runs report (1 for a share or a single run); null when the
    /// usual value is scaled (<see cref="Factor"/>) or shifted (<see cref="Add"/>).
    /// </summary>
    public double? Value { get; init; }
    /// <summary><see cref="FaultKind.Metric"/>: <see cref="Value"/> on a share (<see cref="Rate"/>) of the runs, 0 on the others.</summary>
    public bool Share { get; init; }
    /// <summary>Offset from the plan start.</summary>
    public required TimeSpan At { get; init; }
    /// <summary>How long it lasts (null = until the end).</summary>
    public TimeSpan? For { get; init; }

    /// <summary>Whether it is active at <paramref name="offset"/> from the start.</summary>
    public bool ActiveAt(TimeSpan offset) => offset >= At && (For is not { } f || offset < At + f);

    /// <summary>The detector checks this fault is expected to breach with default thresholds (used in reports and tests).</summary>
    public string Describe() => Kind switch
    {
        FaultKind.Latency => Factor != 1 ? $"{WireName.Of(Engine)} latency ×{Factor.ToString("0.##", CultureInfo.InvariantCulture)}" : $"{WireName.Of(Engine)} latency +{Add.ToString("0", CultureInfo.InvariantCulture)} ms",
        FaultKind.Errors => $"{WireName.Of(Engine)} errors {Rate.ToString("P0", CultureInfo.InvariantCulture)}",
        FaultKind.Timeouts => $"{WireName.Of(Engine)} timeouts {Rate.ToString("P0", CultureInfo.InvariantCulture)}",
        FaultKind.Cost => Factor != 1 ? $"{WireName.Of(Engine)} cost ×{Factor.ToString("0.##", CultureInfo.InvariantCulture)}" : $"{WireName.Of(Engine)} cost +{Add.ToString("0.##", CultureInfo.InvariantCulture)}¢",
        FaultKind.Quality => $"{WireName.Of(Engine)} quality {Add.ToString("+0.#;-0.#", CultureInfo.InvariantCulture)}",
        FaultKind.PolicyViolations => Once ? $"{WireName.Of(Engine)} one policy violation" : $"{WireName.Of(Engine)} policy violations {Rate.ToString("P2", CultureInfo.InvariantCulture)}",
        FaultKind.Fallbacks => $"{WireName.Of(Engine)} fallback storm {Rate.ToString("P0", CultureInfo.InvariantCulture)}",
        FaultKind.Complaints => $"complaints {Rate.ToString("0.#", CultureInfo.InvariantCulture)}/h",
        FaultKind.Metric => $"{WireName.Of(Engine)} {Metric}{(Agent is null ? "" : " (" + Agent + ")")} " + (Once ? "on one run"
            : Share ? Rate.ToString("P0", CultureInfo.InvariantCulture) + " of runs"
            : Value is { } v ? "= " + v.ToString("0.###", CultureInfo.InvariantCulture)
            : Factor != 1 ? "×" + Factor.ToString("0.##", CultureInfo.InvariantCulture)
            : Add.ToString("+0.###;-0.###", CultureInfo.InvariantCulture)),
        FaultKind.Stall => $"{WireName.Of(Engine)} execution pipeline stalled",
        _ => "metrics endpoint refuses auth (401)",
    };
}
