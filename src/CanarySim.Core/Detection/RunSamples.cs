using CanarySim.Core.Routing;

namespace CanarySim.Core.Detection;

/// <summary>
/// Turns one routed run into the samples the detector judges: the serving engine's sample, plus a
/// v2 sample for a shadow run or a failed v2 attempt (<c>fallback=true</c>: a fallback is
/// a gated metric). Quality and cost are unknown to the router and left at 0.
/// </summary>
public static class RunSamples
{
    /// <summary>The samples of <paramref name="run"/>, timestamped <paramref name="at"/>.</summary>
    public static IReadOnlyList<Sample> FromRun(CanaryRunResult run, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(run);
        var served = new Sample { Engine = run.ServedBy, At = at, LatencyMs = run.ServedLatency.TotalMilliseconds, Scenario = WireName.Of(run.Decision.Reason) };
        if (run.Fallback)
        {
            var attempt = run.Latency - run.ServedLatency;
            return [new Sample { Engine = Engine.V2, At = at, LatencyMs = attempt.TotalMilliseconds, Fallback = true, Scenario = run.FallbackReason }, served];
        }
        if (run.Decision.RunShadow && run.ShadowOutcome is { } outcome)
        {
            var shadow = new Sample
            {
                Engine = Engine.V2,
                At = at,
                LatencyMs = (run.ShadowLatency ?? TimeSpan.Zero).TotalMilliseconds,
                Error = outcome != "ok",
                Scenario = "shadow",
            };
            return [served, shadow];
        }
        return [served];
    }
}
