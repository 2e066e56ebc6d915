namespace CanarySim.Harness.Sweeps;

/// <summary>One sweep output read back from its folder: where it came from, its summary and its runs.</summary>
/// <param name="Source">The folder it was read from (for messages).</param>
/// <param name="Summary">Its <c>sweep.json</c>.</param>
/// <param name="Runs">Its <c>runs.jsonl</c>.</param>
public sealed record SweepPart(string Source, SweepSummary Summary, IReadOnlyList<SweepRunRecord> Runs);
