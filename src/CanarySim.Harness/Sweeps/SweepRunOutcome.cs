namespace CanarySim.Harness.Sweeps;

/// <summary>The runs a sweep (or one shard of it) finished, in seed then scenario order.</summary>
/// <param name="Runs">The finished runs.</param>
/// <param name="Planned">Runs planned.</param>
/// <param name="Partial">Whether the sweep was stopped before every planned run finished.</param>
public sealed record SweepRunOutcome(IReadOnlyList<SweepRunRecord> Runs, int Planned, bool Partial);
