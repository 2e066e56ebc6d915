namespace CanarySim.Harness.Sweeps;

/// <summary>
/// A sweep's result (<c>sweep.json</c>): what was swept, and per scenario the false-alarm rate and detection probability
/// with 95 % Wilson intervals, the time from injection to detection, and every false alarm with the checks that raised it.
/// Built only from the sweep's identity and its run records, so a merged set of shards gives the very same summary.
/// </summary>
public sealed record SweepSummary
{
    /// <summary>The schema id of <c>sweep.json</c>.</summary>
    public const string SchemaId = "canarysim.sweep/v2";

    /// <summary>Schema id (<see cref="SchemaId"/>).</summary>
    public string Schema { get; init; } = SchemaId;

    /// <summary>Whether the sweep was stopped before every run finished (Ctrl+C); a partial summary counts only the runs that finished.</summary>
    public required bool Partial { get; init; }

    /// <summary>The shard this output holds (<c>i/N</c>), or null for a whole or merged sweep.</summary>
    public required string? Shard { get; init; }

    /// <summary>What was swept.</summary>
    public required SweepIdentity Sweep { get; init; }

    /// <summary>Runs planned (of this shard).</summary>
    public required int RunsPlanned { get; init; }

    /// <summary>Runs finished.</summary>
    public required int RunsCompleted { get; init; }

    /// <summary>Per scenario, healthy first.</summary>
    public required IReadOnlyList<SweepScenarioStats> Scenarios { get; init; }

    /// <summary>Every false alarm, in seed then scenario order.</summary>
    public required IReadOnlyList<SweepFalseAlarm> FalseAlarms { get; init; }

    /// <summary>The healthy scenario's numbers.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public SweepScenarioStats Healthy => Scenarios.First(s => s.Name == SweepScenario.HealthyName);

    /// <summary>Summarises <paramref name="runs"/> (in any order) of the sweep <paramref name="sweep"/>.</summary>
    public static SweepSummary Build(SweepIdentity sweep, SweepShard shard, IReadOnlyList<SweepRunRecord> runs, int planned, bool partial)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(runs);
        var order = sweep.Scenarios.Select((s, i) => (s.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var ordered = Order(runs, order);
        var stats = sweep.Scenarios.Select(s => Stats(s, ordered.Where(r => r.Scenario == s.Name).ToList())).ToList();
        var alarms = ordered.Where(r => r.FalseAlarm && r.Alarm is not null)
            .Select(r => new SweepFalseAlarm(r.Seed, r.Scenario, r.Alarm!.Action, r.Alarm.At, r.Alarm.Checks)).ToList();
        return new SweepSummary
        {
            Partial = partial,
            Shard = shard.IsWhole ? null : shard.ToString(),
            Sweep = sweep,
            RunsPlanned = planned,
            RunsCompleted = runs.Count,
            Scenarios = stats,
            FalseAlarms = alarms,
        };
    }

    /// <summary>Runs in seed order, then in the sweep's scenario order.</summary>
    /// <exception cref="KeyNotFoundException">When a run names a scenario the sweep does not have.</exception>
    public static IReadOnlyList<SweepRunRecord> Order(IEnumerable<SweepRunRecord> runs, IReadOnlyDictionary<string, int> scenarioOrder)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(scenarioOrder);
        return runs.OrderBy(r => r.Seed).ThenBy(r => scenarioOrder[r.Scenario]).ToList();
    }

    private static SweepScenarioStats Stats(SweepScenarioInfo s, IReadOnlyList<SweepRunRecord> runs)
    {
        var n = runs.Count;
        var falseAlarms = runs.Count(r => r.FalseAlarm);
        var healthy = s.IsHealthy;
        var detected = healthy ? (int?)null : runs.Count(r => r.Detected);
        return new SweepScenarioStats(
            s.Name, s.Range, s.Size, s.Unit, n,
            falseAlarms, Rate(falseAlarms, n), SweepInterval.Wilson95(falseAlarms, n),
            CountChecks(runs.Where(r => r.FalseAlarm).SelectMany(r => r.Alarm?.Checks ?? [])),
            detected,
            detected is { } d ? Rate(d, n) : null,
            detected is { } k ? SweepInterval.Wilson95(k, n) : null,
            CountChecks(runs.Where(r => r.Detected).Select(r => r.DetectedBy!)),
            SweepDistribution.Of(runs.Where(r => r.Detected).Select(r => r.TimeToDetectionSeconds!.Value)),
            CountChecks(runs.Where(r => r.Detected).SelectMany(r => r.DetectionChecks)));
    }

    private static double Rate(int k, int n) => n == 0 ? 0 : (double)k / n;

    private static SortedDictionary<string, int> CountChecks(IEnumerable<string> checks)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in checks)
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }
        return counts;
    }
}
