using System.Globalization;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;

namespace CanarySim.Core.Rollout;

/// <summary>
/// One observation window of an evidence log, fed with real routed runs. It
/// counts the missions, the v2 runs (served, fallen back or shadowed) and the v2 failures (fallbacks
/// and failed shadows), computes the fallback rate and the nearest-rank v2 p95, and closes into an
/// <see cref="EvidenceRow"/> whose decision comes from <see cref="EvidenceDecisions.Decide"/>:
/// a shadow window is ready for a limited cohort only when it carried v2 traffic, its fallback rate
/// is at most <see cref="DetectorOptions.FallbackRateMax"/> and its p95 at most
/// <see cref="DetectorOptions.LatencyP95MaxMs"/> (otherwise HOLD_SHADOW); a canary or progressive
/// window with v2 failures that v1 covered is PARTIAL_TIMEOUT_RECOVERED; a window in which every v2 run
/// timed out (none completed) is a stalled pipeline, BLOCKED_EXECUTION_PIPELINE; a window ending with the
/// kill switch on is HOLD_SHADOW (reverted to v1).
/// </summary>
public sealed class EvidenceWindow
{
    private readonly DetectorOptions _policy;
    private readonly List<double> _v2Latencies = [];
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);

    /// <summary>Opens a window.</summary>
    /// <param name="label">Window label, e.g. <c>Shadow window #2</c>.</param>
    /// <param name="stage">The stage kind the window observes.</param>
    /// <param name="policy">Thresholds (fallback rate, p95); the detector defaults when null.</param>
    public EvidenceWindow(string label, StageKind stage, DetectorOptions? policy = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        Label = label;
        Stage = stage;
        _policy = policy ?? new DetectorOptions();
    }

    /// <summary>The window label.</summary>
    public string Label { get; }

    /// <summary>The stage kind observed.</summary>
    public StageKind Stage { get; }

    /// <summary>Requests recorded.</summary>
    public int Missions { get; private set; }

    /// <summary>Requests v2 served, tried (and fell back from) or shadowed.</summary>
    public int V2Runs { get; private set; }

    /// <summary>v2 fallbacks plus failed or timed-out shadows.</summary>
    public int V2Failures { get; private set; }

    /// <summary>Set when the metrics source refused access during the window.</summary>
    public bool MetricsBlocked { get; private set; }

    /// <summary>v2 failures over v2 runs (0 when v2 ran nothing, as the seed's empty baseline reads 0.000).</summary>
    public double FallbackRate => V2Runs == 0 ? 0 : (double)V2Failures / V2Runs;

    /// <summary>Nearest-rank p95 of v2 latencies in ms; null without v2 runs.</summary>
    public double? P95LatencyMs
    {
        get
        {
            if (_v2Latencies.Count == 0)
            {
                return null;
            }
            var sorted = _v2Latencies.Order().ToList();
            return sorted[WindowAggregates.NearestRank(95, sorted.Count) - 1];
        }
    }

    /// <summary>Records one routed run.</summary>
    public void Record(CanaryRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Missions++;
        if (run.Fallback)
        {
            V2Runs++;
            Fail(run.FallbackReason ?? "exception");
            _v2Latencies.Add((run.Latency - run.ServedLatency).TotalMilliseconds);
        }
        else if (run.Decision.RunShadow && run.ShadowOutcome is { } outcome)
        {
            V2Runs++;
            if (outcome != "ok")
            {
                Fail(outcome);
            }
            _v2Latencies.Add((run.ShadowLatency ?? TimeSpan.Zero).TotalMilliseconds);
        }
        else if (run.ServedBy == Engine.V2)
        {
            V2Runs++;
            _v2Latencies.Add(run.ServedLatency.TotalMilliseconds);
        }
    }

    /// <summary>Marks the window as unable to read metrics (a <c>401 Unauthorized</c> from the metrics endpoint: BLOCKED_AUTH).</summary>
    public void MarkMetricsBlocked() => MetricsBlocked = true;

    /// <summary>The facts the decision is made from, given the router settings at the end of the window.</summary>
    public EvidenceWindowFacts Facts(RouterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var trafficBearing = V2Runs > 0;
        // Thresholds are strict: a rate exactly at the threshold still meets the criterion.
        var exitMet = trafficBearing
            && FallbackRate <= _policy.FallbackRateMax
            && (P95LatencyMs ?? 0) <= _policy.LatencyP95MaxMs;
        return new EvidenceWindowFacts
        {
            Stage = Stage,
            RolledBack = settings.KillSwitch,
            Stalled = trafficBearing && V2Failures == V2Runs && _failures.Count == 1 && _failures.ContainsKey("timeout"),
            MetricsBlocked = MetricsBlocked,
            TrafficBearing = trafficBearing,
            ExitCriteriaMet = exitMet,
            // Shadow failures never reach users: they hold the shadow instead.
            Disturbed = Stage != StageKind.Shadow && V2Failures > 0,
        };
    }

    /// <summary>Closes the window into an evidence-log row.</summary>
    /// <param name="at">End of the window.</param>
    /// <param name="settings">Router settings at the end of the window.</param>
    /// <param name="scope">What traffic the window covered, in words.</param>
    public EvidenceRow Close(DateTimeOffset at, RouterSettings settings, string scope)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var failures = _failures.Count == 0 ? "none"
            : string.Join(", ", _failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value}"));
        return new EvidenceRow
        {
            At = at,
            Window = Label,
            Scope = scope,
            Stage = Stage.ToWire(),
            Percent = settings.KillSwitch ? 0 : settings.CanaryPct,
            Requests = Missions,
            V2Requests = V2Runs,
            FallbackRate = MetricsBlocked ? null : FallbackRate,
            P95LatencyMs = MetricsBlocked ? null : P95LatencyMs,
            Decision = EvidenceDecisions.Decide(Facts(settings)),
            Notes = string.Create(CultureInfo.InvariantCulture,
                $"missions={Missions}, v2_runs={V2Runs}, v2_failures={V2Failures} ({failures}){(settings.KillSwitch ? ", kill switch on" : "")}"),
        };
    }

    private void Fail(string reason)
    {
        V2Failures++;
        _failures[reason] = _failures.TryGetValue(reason, out var n) ? n + 1 : 1;
    }
}
