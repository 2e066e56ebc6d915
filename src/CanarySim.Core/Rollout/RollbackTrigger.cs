using System.Globalization;

namespace CanarySim.Core.Rollout;

/// <summary>
/// One rollback trigger of a plan : a detector check with the plan's
/// threshold, optional sustained duration and the action on breach. The simulator hands these to the
/// real detector's policy; they override its defaults.
/// </summary>
public sealed record RollbackTrigger
{
    /// <summary>The detector check name (e.g. <c>error_rate</c>, <c>latency_sustained</c>, <c>policy_violation</c>).</summary>
    public required string Check { get; init; }

    /// <summary>The threshold (strict: exactly at it is not a breach); null keeps the detector default.</summary>
    public double? Threshold { get; init; }

    /// <summary>How long the breach must last (every evaluation over it breached); null keeps the detector default.</summary>
    public TimeSpan? Sustained { get; init; }

    /// <summary>The action on breach (<c>hold</c>, <c>manual_review</c>, <c>pause</c>, <c>reduce_traffic</c>, <c>rollback</c>); null keeps the default.</summary>
    public string? Action { get; init; }

    /// <summary>Line in the plan file (0 when unknown).</summary>
    public int Line { get; init; }

    /// <summary>E.g. <c>error_rate &gt; 0.05 for 5m → rollback</c>.</summary>
    public override string ToString() =>
        Check + (Threshold is { } t ? $" > {t.ToString(CultureInfo.InvariantCulture)}" : "")
        + (Sustained is { } s ? $" for {PlanDuration.Format(s)}" : "")
        + (Action is { } a ? $" → {a}" : "");
}
