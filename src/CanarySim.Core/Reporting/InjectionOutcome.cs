namespace CanarySim.Core.Reporting;

/// <summary>What became of one injected fault: when it began, when the detector first breached, when the rollout rolled back.</summary>
/// <param name="Text">The injection as written (e.g. <c>v2.latency+40% at day 9</c>).</param>
/// <param name="Start">When it began.</param>
/// <param name="End">When it ended (null: until the end).</param>
/// <param name="FirstBreachAt">First detector breach at or after the start.</param>
/// <param name="FirstBreachChecks">The checks that breached first.</param>
/// <param name="RollbackAt">When the router went back to v1 (kill switch), if it did.</param>
/// <param name="Action">The most severe action taken in response.</param>
public sealed record InjectionOutcome(
    string Text,
    DateTimeOffset Start,
    DateTimeOffset? End,
    DateTimeOffset? FirstBreachAt,
    IReadOnlyList<string> FirstBreachChecks,
    DateTimeOffset? RollbackAt,
    string Action)
{
    /// <summary>Time from the injection to the rollback (null when not rolled back).</summary>
    public TimeSpan? TimeToRollback => RollbackAt is { } r ? r - Start : null;

    /// <summary>Time from the injection to the first breach (null when never breached).</summary>
    public TimeSpan? TimeToDetect => FirstBreachAt is { } b ? b - Start : null;
}
