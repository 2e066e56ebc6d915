using BenchmarkDotNet.Attributes;
using CanarySim.Core.Audit;
using CanarySim.Core.Detection;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;
using CanarySim.Storage.Sqlite;

namespace CanarySim.Benchmarks;

/// <summary>
/// The SQLite store: cost of one durable append (an fsync per commit with synchronous=FULL, none
/// with NORMAL), of a 1 000-sample batch, and of reading the detector's windows from 100 000 samples.
/// Run: dotnet run -c Release --project tests/CanarySim.Benchmarks -- --filter '*Store*' --job short
/// </summary>
[MemoryDiagnoser]
public class StoreBenchmarks
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 19, 10, 0, 0, TimeSpan.Zero);
    private string _folder = "";
    private SqliteStore _store = null!;
    private Sample[] _batch = [];
    private SettingsChange _change = null!;

    /// <summary>Durability level under test.</summary>
    [Params(SqliteSynchronousMode.Full, SqliteSynchronousMode.Normal)]
    public SqliteSynchronousMode Synchronous { get; set; }

    /// <summary>Creates a store with 100 000 samples (50 000 per engine, one per second).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "canarysim-bench", Guid.NewGuid().ToString("N"));
        _store = SqliteStore.Open(Path.Combine(_folder, "bench.db"), TimeProvider.System, new SqliteStoreOptions { Synchronous = Synchronous });
        _store.Samples.AddRange(Enumerable.Range(0, 100_000).Select(i => new Sample
        {
            Engine = i % 2 == 0 ? Engine.V1 : Engine.V2, At = T0.AddSeconds(i / 2), LatencyMs = 500 + i % 900, Quality = 90, CostCents = 1.5,
        }));
        _batch = Enumerable.Range(0, 1000).Select(i => new Sample { Engine = Engine.V2, At = T0.AddDays(1).AddSeconds(i), LatencyMs = i }).ToArray();
        var canary = RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 10 };
        _change = new SettingsChange(0, T0, "auto", SettingsChangeKind.Rollback, "bench", canary, canary with { KillSwitch = true, CanaryPct = 0 }, ["quality (V1: 95.0, V2: 82.0, drop: 13.0)"]);
    }

    /// <summary>Deletes the database.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>One audit event, its own transaction.</summary>
    [Benchmark]
    public void AppendAuditEvent() =>
        _store.Audit.Append(new AuditEvent(T0, "engine_route", """{"selected":"v2","reason":"canary","bucket":812,"canary_pct":10,"kill_switch":false,"mode":"canary","phase":"phase8"}"""));

    /// <summary>One settings change (IMMEDIATE transaction: read the current row, history row, current row).</summary>
    [Benchmark]
    public SettingsChange CommitSettingsChange() => _store.Settings.Commit(latest => _change with { Before = latest.Settings })!;

    /// <summary>1 000 samples in one transaction.</summary>
    [Benchmark]
    public void AddRange1000Samples() => _store.Samples.AddRange(_batch);

    /// <summary>The detector's default window: the last 100 v2 runs.</summary>
    [Benchmark]
    public int LastRuns100() => _store.Samples.LastRuns(Engine.V2, 100).Count;

    /// <summary>A 5-minute window (300 v2 samples) by time.</summary>
    [Benchmark]
    public int Since5Minutes() => _store.Samples.Since(Engine.V2, T0.AddSeconds(49_700)).Count;
}
