namespace CanarySim.Core.Rollout;

/// <summary>
/// What one run or one evaluation interval adds to an <see cref="EvidenceWindow"/>. A v2 run is a request v2 ran to
/// an outcome: served, fell back (v2 failed, v1 answered) or shadowed. A stalled request never reached an outcome
/// (v2 never answered and v1 answered after the budget): it is not a v2 run.
/// </summary>
/// <param name="Requests">Requests served.</param>
/// <param name="V2Runs">v2 runs: served, fallen back or shadowed.</param>
/// <param name="V2Fallbacks">Of <paramref name="V2Runs"/>, served runs that failed and fell back to v1.</param>
/// <param name="V2ShadowFailures">Of <paramref name="V2Runs"/>, shadow runs that failed (an error, a timeout or invalid output).</param>
/// <param name="V2Timeouts">Of the failures, the runs that failed by timing out.</param>
/// <param name="V2Stalled">Requests given to v2 that never completed (not counted in <paramref name="V2Runs"/>).</param>
public readonly record struct EvidenceCounts(long Requests, long V2Runs, long V2Fallbacks, long V2ShadowFailures, long V2Timeouts, long V2Stalled)
{
    /// <summary>v2 runs that failed: fallbacks and failed shadows.</summary>
    public long V2Failures => V2Fallbacks + V2ShadowFailures;

    /// <summary>v2 runs that count as v2 traffic: served by v2 or shadowed on v2 (every v2 run but the fallbacks).</summary>
    public long V2Traffic => V2Runs - V2Fallbacks;

    /// <summary>Both together.</summary>
    public static EvidenceCounts operator +(EvidenceCounts a, EvidenceCounts b) => new(
        a.Requests + b.Requests, a.V2Runs + b.V2Runs, a.V2Fallbacks + b.V2Fallbacks, a.V2ShadowFailures + b.V2ShadowFailures,
        a.V2Timeouts + b.V2Timeouts, a.V2Stalled + b.V2Stalled);

    /// <summary>Both together (the named form of <c>+</c>).</summary>
    public static EvidenceCounts Add(EvidenceCounts left, EvidenceCounts right) => left + right;
}
