namespace CanarySim.Core.Rollout;

/// <summary>One evidence-log row — one observation window.</summary>
public sealed record EvidenceRow
{
    /// <summary>End of the window (UTC).</summary>
    public required DateTimeOffset At { get; init; }
    /// <summary>Window label, e.g. <c>Shadow window #3</c>.</summary>
    public required string Window { get; init; }
    /// <summary>What traffic the window covers, e.g. <c>canary 5 %: 7,012 of 140,220 requests on v2</c>.</summary>
    public required string Scope { get; init; }
    /// <summary>Stage name at the end of the window.</summary>
    public string Stage { get; init; } = "";
    /// <summary>Percentage on v2 at the end of the window.</summary>
    public double Percent { get; init; }
    /// <summary>Requests in the window.</summary>
    public long Requests { get; init; }
    /// <summary>Requests v2 served or shadowed in the window.</summary>
    public long V2Requests { get; init; }
    /// <summary>v2 fallback rate in the window (null = n/a).</summary>
    public double? FallbackRate { get; init; }
    /// <summary>v2 p95 latency in the window, ms (null = n/a).</summary>
    public double? P95LatencyMs { get; init; }
    /// <summary>One of <see cref="EvidenceDecision.All"/>.</summary>
    public required string Decision { get; init; }
    /// <summary>What happened in the window, in words.</summary>
    public string Notes { get; init; } = "";
}
