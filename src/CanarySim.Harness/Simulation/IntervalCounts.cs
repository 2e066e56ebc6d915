namespace CanarySim.Harness.Simulation;

/// <summary>What one evaluation interval served (the per-tick event the recorders add up).</summary>
internal struct IntervalCounts
{
    /// <summary>Requests served.</summary>
    public long Served;

    /// <summary>Requests v2 answered.</summary>
    public long V2Served;

    /// <summary>Requests v1 answered after v2 failed.</summary>
    public long Fallbacks;

    /// <summary>v2 runs, served or shadowed.</summary>
    public long V2Runs;

    /// <summary>v2 runs that fell back.</summary>
    public long V2Fallbacks;

    /// <summary>Shadow v2 runs that failed.</summary>
    public long V2ShadowFailures;

    /// <summary>v2 runs (served or shadowed) that failed by timing out.</summary>
    public long V2Timeouts;

    /// <summary>v2 runs that count as v2 traffic in the evidence (served by v2, or shadowed on v2).</summary>
    public long V2Traffic;

    /// <summary>Requests routed to v2 whose run never completed (a stalled pipeline; v1 answered).</summary>
    public long V2Stalled;

    public void Add(TrafficShard shard)
    {
        Served += shard.Served;
        V2Served += shard.V2Served;
        Fallbacks += shard.Fallbacks;
        V2Runs += shard.V2Runs;
        V2Fallbacks += shard.V2Fallbacks;
        V2ShadowFailures += shard.V2ShadowFailures;
        V2Timeouts += shard.V2Timeouts;
        V2Traffic += shard.V2Traffic;
        V2Stalled += shard.V2Stalled;
    }

    public void Add(in IntervalCounts other)
    {
        Served += other.Served;
        V2Served += other.V2Served;
        Fallbacks += other.Fallbacks;
        V2Runs += other.V2Runs;
        V2Fallbacks += other.V2Fallbacks;
        V2ShadowFailures += other.V2ShadowFailures;
        V2Timeouts += other.V2Timeouts;
        V2Traffic += other.V2Traffic;
        V2Stalled += other.V2Stalled;
    }
}
