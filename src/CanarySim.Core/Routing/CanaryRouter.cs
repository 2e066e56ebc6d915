namespace CanarySim.Core.Routing;

/// <summary>
/// Decides, per request, which engine serves it. Reads <see cref="LiveSettings.Current"/>
/// once per decision, so a settings swap under concurrent traffic never yields a torn decision.
/// Precedence: kill switch &gt; cohort &gt; disabled segment &gt; mode (primary → v1, shadow → v1 with
/// v2 shadowed, candidate → v2, canary → bucket). Thread-safe; zero allocations per decision
/// unless an observer is attached.
/// </summary>
public sealed class CanaryRouter
{
    private readonly LiveSettings _settings;
    private readonly IBucketing _bucketing;
    private readonly RouterMetrics? _metrics;
    private readonly IRouteObserver? _observer;
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private PreparedSnapshot _prepared;

    /// <summary>Creates a router over live settings.</summary>
    /// <param name="settings">The live snapshot holder the router reads.</param>
    /// <param name="options">Algorithm, random source and timeouts; defaults when null.</param>
    /// <param name="metrics">Counters to increment (planner_selection_total), if any.</param>
    /// <param name="observer">Receives every decision (e.g. <see cref="AuditRouteObserver"/>), if any.</param>
    public CanaryRouter(LiveSettings settings, RouterOptions? options = null, RouterMetrics? metrics = null, IRouteObserver? observer = null)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        Options = (options ?? new RouterOptions()).Validate();
        _bucketing = BucketingAlgorithms.Get(Options.Algorithm);
        _random = Options.Random;
        _metrics = metrics;
        _observer = observer;
        var initial = settings.Current;
        _prepared = new PreparedSnapshot(initial, _bucketing.Prepare(initial.Salt));
    }

    /// <summary>The options in use.</summary>
    public RouterOptions Options { get; }

    /// <summary>The bucketing algorithm in use.</summary>
    public IBucketing Bucketing => _bucketing;

    /// <summary>The live settings this router reads.</summary>
    public LiveSettings Settings => _settings;

    /// <summary>Decides with the current snapshot.</summary>
    /// <exception cref="ArgumentException">The snapshot's canary percentage (or the segment's) is NaN.</exception>
    public RouteDecision Route(in RouteRequest request) => Route(request, _settings.Current);

    /// <summary>Decides with the given snapshot (what-if evaluation, batch routing).</summary>
    /// <exception cref="ArgumentException">The snapshot's canary percentage (or the segment's) is NaN.</exception>
    public RouteDecision Route(in RouteRequest request, RouterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var decision = Decide(request, settings);
        _metrics?.RecordSelection(decision.Selected, decision.Reason);
        _observer?.OnRoute(request, decision);
        return decision;
    }

    private RouteDecision Decide(in RouteRequest request, RouterSettings s)
    {
        var pct = Clamp(s.CanaryPct, nameof(RouterSettings.CanaryPct));
        var algorithm = _bucketing.Algorithm;
        var key = request.Key;

        // The kill switch overrides everything.
        if (s.KillSwitch)
        {
            return new RouteDecision(Engine.V1, RouteReason.KillSwitch, null, pct, true, s.Mode, s.Phase, key is null, false, algorithm);
        }

        // Cohort members always get v2 unless the kill switch is on.
        if (s.Cohort.Count > 0 && InCohort(s, request))
        {
            return new RouteDecision(Engine.V2, RouteReason.Cohort, null, pct, false, s.Mode, s.Phase, key is null, false, algorithm);
        }

        if (request.Segment is { } segment && s.Segments.Count > 0 && s.Segments.TryGetValue(segment, out var segmentOverride))
        {
            if (!segmentOverride.Enabled)
            {
                return new RouteDecision(Engine.V1, RouteReason.SegmentDisabled, null, pct, false, s.Mode, s.Phase, key is null, false, algorithm);
            }
            if (segmentOverride.CanaryPct is { } own)
            {
                pct = Clamp(own, "Segments[" + segment + "].CanaryPct");
            }
        }

        switch (s.Mode)
        {
            case RouterMode.Primary:
                return new RouteDecision(Engine.V1, RouteReason.Default, null, pct, false, s.Mode, s.Phase, key is null, false, algorithm);
            case RouterMode.Shadow:
                return new RouteDecision(Engine.V1, RouteReason.Shadow, null, pct, false, s.Mode, s.Phase, key is null, true, algorithm);
            case RouterMode.Candidate:
                return new RouteDecision(Engine.V2, RouteReason.Default, null, pct, false, s.Mode, s.Phase, key is null, false, algorithm);
        }

        if (key is null)
        {
            // No key → the injectable random source, in basis points, marked unkeyed.
            int draw;
            lock (_randomLock)
            {
                draw = _random.Next(CanarySimBucketing.Buckets);
            }
            var inRandom = draw < pct * 100.0;
            return new RouteDecision(inRandom ? Engine.V2 : Engine.V1, RouteReason.Unkeyed, draw, pct, false, s.Mode, s.Phase, true, false, algorithm);
        }

        var prepared = Prepare(s);
        var bucket = _bucketing.Bucket(prepared, key);
        var inCanary = _bucketing.IsInRollout(bucket, pct);
        return new RouteDecision(inCanary ? Engine.V2 : Engine.V1, inCanary ? RouteReason.Canary : RouteReason.Default, bucket, pct, false, s.Mode, s.Phase, false, false, algorithm);
    }

    private static bool InCohort(RouterSettings s, in RouteRequest request) =>
        (!string.IsNullOrEmpty(request.SessionId) && s.Cohort.Contains(request.SessionId))
        || (!string.IsNullOrEmpty(request.UserId) && s.Cohort.Contains(request.UserId));

    // The router clamps what it is handed, but NaN has no meaningful clamp and is rejected.
    private static double Clamp(double pct, string field)
    {
        if (double.IsNaN(pct))
        {
            throw new ArgumentException($"{field} is NaN; expected a number between 0 and 100.", nameof(pct));
        }
        return pct < 0 ? 0 : pct > 100 ? 100 : pct;
    }

    // Salt bytes are prepared once per snapshot (cache keyed by the snapshot reference, reused while the salt is unchanged).
    private BucketingSalt Prepare(RouterSettings s)
    {
        var prepared = Volatile.Read(ref _prepared);
        if (ReferenceEquals(prepared.Settings, s))
        {
            return prepared.Salt;
        }
        var salt = string.Equals(prepared.Salt.Salt, s.Salt, StringComparison.Ordinal) ? prepared.Salt : _bucketing.Prepare(s.Salt);
        Volatile.Write(ref _prepared, new PreparedSnapshot(s, salt));
        return salt;
    }

    private sealed record PreparedSnapshot(RouterSettings Settings, BucketingSalt Salt);
}
