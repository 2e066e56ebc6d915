using System.Collections.Immutable;
using CanarySim.Core.Audit;

namespace CanarySim.Core.Tests.Storage;

/// <summary>
/// What every durable store promises (settings with versions and history, the audit log, samples), run
/// against each store: SQLite (<see cref="SqliteStoreTests"/>) and PostgreSQL (<see cref="PostgresStoreTests"/>).
/// A subclass gives each test fresh, empty storage and opens handles on it.
/// </summary>
public abstract class StoreContract
{
    protected static readonly DateTimeOffset T0 = new(2026, 2, 19, 10, 0, 0, TimeSpan.Zero);

    protected static readonly RouterSettings Rich = RouterSettings.Default with
    {
        Mode = RouterMode.Canary,
        CanaryPct = 12.5,
        Salt = "s-1",
        Phase = "phase8",
        Segments = ImmutableDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, SegmentOverride>
        {
            ["billing"] = new(false),
            ["search"] = new(true, 25),
        }),
        Cohort = ImmutableHashSet.Create(StringComparer.Ordinal, "beta-1", "beta-2"),
    };

    protected FakeTimeProvider Clock { get; private set; } = null!;

    [SetUp]
    public void SetUpStorage()
    {
        Clock = new FakeTimeProvider(T0);
        CreateStorage();
    }

    [TearDown]
    public void TearDownStorage() => DeleteStorage();

    /// <summary>Makes fresh, empty storage for one test.</summary>
    protected abstract void CreateStorage();

    /// <summary>Removes the test's storage.</summary>
    protected abstract void DeleteStorage();

    /// <summary>Opens a new handle on the test's storage (on <see cref="Clock"/>).</summary>
    protected abstract StoreUnderTest OpenStore();

    /// <summary>Runs one SQL statement on the test's storage directly and returns the first column of the first row as text (null for none or NULL).</summary>
    protected abstract string? RawScalar(string sql);

    protected static SettingsChange Change(string reason, RouterSettings before, RouterSettings after, DateTimeOffset at, params string[] breaches) =>
        new(0, at, "ops@example", SettingsChangeKind.Config, reason, before, after, breaches);

    protected static SettingsChange Append(ISettingsStore settings, SettingsChange change) => settings.Commit(_ => change)!;

    [Test]
    public void Settings_change_round_trips_through_a_reopen()
    {
        var at = T0.AddMinutes(3);
        SettingsChange stored;
        using (var store = OpenStore())
        {
            stored = Append(store.Settings, new SettingsChange(0, at, "auto", SettingsChangeKind.Rollback, "quality drop", Rich, Rich with { KillSwitch = true, CanaryPct = 0 },
                ["quality (V1: 95.0, V2: 82.0, drop: 13.0)", "latency (V2 p95: 1850ms > 1600ms)"]));
        }
        using var reopened = OpenStore();
        var history = reopened.Settings.History();
        Assert.Multiple(() =>
        {
            Assert.That(stored.Sequence, Is.EqualTo(1));
            Assert.That(reopened.Settings.Current.Settings, Is.EqualTo(Rich with { KillSwitch = true, CanaryPct = 0 }));
            Assert.That(history, Has.Count.EqualTo(1));
            var h = history[0];
            Assert.That(h.Sequence, Is.EqualTo(1));
            Assert.That(h.At, Is.EqualTo(at));
            Assert.That(h.Actor, Is.EqualTo("auto"));
            Assert.That(h.Kind, Is.EqualTo(SettingsChangeKind.Rollback));
            Assert.That(h.Reason, Is.EqualTo("quality drop"));
            Assert.That(h.Before, Is.EqualTo(Rich));
            Assert.That(h.After, Is.EqualTo(Rich with { KillSwitch = true, CanaryPct = 0 }));
            Assert.That(h.Breaches, Is.EqualTo(new[] { "quality (V1: 95.0, V2: 82.0, drop: 13.0)", "latency (V2 p95: 1850ms > 1600ms)" }));
        });
    }

    // The text each kind has always been stored as (before kinds were an enum): existing files and databases must read back.
    private static readonly (SettingsChangeKind Kind, string Stored)[] StoredKinds =
    [
        (SettingsChangeKind.Config, "config"), (SettingsChangeKind.Rollback, "rollback"), (SettingsChangeKind.StagedRollback, "staged_rollback"),
        (SettingsChangeKind.ReduceTraffic, "reduce_traffic"), (SettingsChangeKind.Pause, "pause"), (SettingsChangeKind.ManualReview, "manual_review"),
        (SettingsChangeKind.ReEnable, "re_enable"), (SettingsChangeKind.Resume, "resume"), (SettingsChangeKind.Approve, "approve"),
    ];

    [Test]
    public void Every_change_kind_is_stored_as_its_old_text_and_reads_back_as_the_same_kind()
    {
        Assert.That(StoredKinds.Select(k => k.Kind), Is.EquivalentTo(Enum.GetValues<SettingsChangeKind>()), "every kind has its stored text here");
        using (var store = OpenStore())
        {
            foreach (var (kind, _) in StoredKinds)
            {
                Append(store.Settings, Change("any", RouterSettings.Default, Rich, T0) with { Kind = kind });
            }
        }
        using var reopened = OpenStore();
        Assert.Multiple(() =>
        {
            Assert.That(reopened.Settings.History().Select(h => h.Kind), Is.EqualTo(StoredKinds.Select(k => k.Kind)));
            for (var i = 0; i < StoredKinds.Length; i++)
            {
                Assert.That(RawScalar($"SELECT kind FROM settings_history WHERE sequence = {i + 1};"), Is.EqualTo(StoredKinds[i].Stored));
            }
        });
    }

    [Test]
    public void A_history_row_whose_kind_is_no_known_text_is_reported_with_its_sequence()
    {
        using (var store = OpenStore())
        {
            Append(store.Settings, Change("one", RouterSettings.Default, Rich, T0));
        }
        RawScalar("INSERT INTO settings_history(sequence, at, actor, kind, reason, before_json, after_json, breaches_json, recorded_at, instance) " +
            "VALUES (2, 0, 'ops', 'Rollback', 'r', '{}', '{}', '[]', 0, '');");
        using var reopened = OpenStore();
        Assert.That(() => reopened.Settings.History(), Throws.Exception.With.Message.Contains("settings_history (sequence 2) kind: 'Rollback' is not a settings change kind"));
    }

    [Test]
    public void History_is_oldest_first_with_consecutive_sequences_and_limit_keeps_the_most_recent()
    {
        using var store = OpenStore();
        var settings = RouterSettings.Default;
        for (var i = 1; i <= 5; i++)
        {
            var next = settings with { CanaryPct = i * 10 };
            var stored = Append(store.Settings, Change($"step {i}", settings, next, T0.AddSeconds(i)));
            Assert.That(stored.Sequence, Is.EqualTo(i));
            settings = next;
        }
        Assert.Multiple(() =>
        {
            Assert.That(store.Settings.History().Select(h => h.Sequence), Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }));
            Assert.That(store.Settings.History().Select(h => h.Reason), Is.EqualTo(new[] { "step 1", "step 2", "step 3", "step 4", "step 5" }));
            Assert.That(store.Settings.History(2).Select(h => h.Sequence), Is.EqualTo(new long[] { 4, 5 }));
            Assert.That(store.Settings.History(50).Select(h => h.Sequence), Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }));
            Assert.That(store.Settings.History(0), Is.Empty);
            Assert.That(store.Settings.Current.Settings.CanaryPct, Is.EqualTo(50));
        });
    }

    [Test]
    public void Two_stores_on_one_database_share_sequences_and_current_settings()
    {
        using var a = OpenStore();
        using var b = OpenStore();
        Append(a.Settings, Change("from a", RouterSettings.Default, Rich, T0));
        var fromB = Append(b.Settings, Change("from b", Rich, Rich with { CanaryPct = 50 }, T0));
        Assert.Multiple(() =>
        {
            Assert.That(fromB.Sequence, Is.EqualTo(2));
            Assert.That(a.Settings.Current.Settings.CanaryPct, Is.EqualTo(50));
            Assert.That(a.Settings.History().Select(h => h.Reason), Is.EqualTo(new[] { "from a", "from b" }));
        });
    }

    [Test]
    public void Audit_read_filters_by_type_and_since_and_limit_keeps_the_most_recent()
    {
        using var store = OpenStore();
        store.Audit.Append(new AuditEvent(T0, "engine_route", """{"selected":"v1","n":1}"""));
        store.Audit.Append(new AuditEvent(T0.AddMinutes(1), "evaluation", """{"verdict":"pass"}"""));
        store.Audit.AppendRange([
            new AuditEvent(T0.AddMinutes(2), "engine_route", """{"selected":"v2","n":2}"""),
            new AuditEvent(T0.AddMinutes(3), "rollback", """{"actor":"auto"}"""),
            new AuditEvent(T0.AddMinutes(4), "engine_route", """{"selected":"v1","n":3}"""),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(store.Audit.Read().Select(e => e.Type), Is.EqualTo(new[] { "engine_route", "evaluation", "engine_route", "rollback", "engine_route" }));
            Assert.That(store.Audit.Read("engine_route").Select(e => e.Data), Is.EqualTo(new[]
            {
                """{"selected":"v1","n":1}""", """{"selected":"v2","n":2}""", """{"selected":"v1","n":3}""",
            }));
            Assert.That(store.Audit.Read(since: T0.AddMinutes(2)).Select(e => e.At), Is.EqualTo(new[] { T0.AddMinutes(2), T0.AddMinutes(3), T0.AddMinutes(4) }));
            Assert.That(store.Audit.Read("engine_route", T0.AddMinutes(1)).Select(e => e.At), Is.EqualTo(new[] { T0.AddMinutes(2), T0.AddMinutes(4) }));
            Assert.That(store.Audit.Read("engine_route", limit: 2).Select(e => e.At), Is.EqualTo(new[] { T0.AddMinutes(2), T0.AddMinutes(4) }));
            Assert.That(store.Audit.Read(limit: 1).Single(), Is.EqualTo(new AuditEvent(T0.AddMinutes(4), "engine_route", """{"selected":"v1","n":3}""")));
            Assert.That(store.Audit.Read("unknown"), Is.Empty);
        });
    }

    [Test]
    public void Audit_time_keeps_the_instant_of_a_non_utc_offset()
    {
        using var store = OpenStore();
        var at = new DateTimeOffset(2026, 2, 19, 12, 30, 0, TimeSpan.FromHours(2));
        store.Audit.Append(new AuditEvent(at, "config", "{}"));
        Assert.That(store.Audit.Read().Single().At, Is.EqualTo(at));
        Assert.That(store.Audit.Read(since: at.AddTicks(1)), Is.Empty);
    }

    [TestCase("not json")]
    [TestCase("[1,2]")]
    [TestCase("\"text\"")]
    [TestCase("")]
    public void Audit_data_that_is_not_a_json_object_is_rejected_and_nothing_is_written(string data)
    {
        using var store = OpenStore();
        Assert.That(() => store.Audit.AppendRange([new AuditEvent(T0, "ok", "{}"), new AuditEvent(T0, "config", data)]),
            Throws.ArgumentException.With.Message.Contains("JSON object").And.Message.Contains("config"));
        Assert.That(store.Audit.Read(), Is.Empty);
    }

    [Test]
    public void Samples_round_trip_with_every_field()
    {
        using var store = OpenStore();
        var sample = new Sample
        {
            Engine = Engine.V2, At = T0, LatencyMs = 812, Quality = 93.5, CostCents = 1.9, Error = true, Fallback = true,
            PolicyViolation = true, Complaint = true, Tokens = 1234, Agent = "planner", Scenario = "refund", Role = "admin",
        };
        var bare = new Sample { Engine = Engine.V2, At = T0.AddSeconds(1), LatencyMs = 100 };
        store.Samples.Add(sample);
        store.Samples.Add(bare);
        Assert.That(store.Samples.LastRuns(Engine.V2, 10), Is.EqualTo(new[] { sample, bare }));
    }

    [Test]
    public void LastRuns_returns_the_last_arrivals_of_one_engine_oldest_first()
    {
        using var store = OpenStore();
        store.Samples.AddRange(Enumerable.Range(1, 10).SelectMany(i => new[]
        {
            new Sample { Engine = Engine.V1, At = T0.AddSeconds(i), LatencyMs = 1000 + i },
            new Sample { Engine = Engine.V2, At = T0.AddSeconds(i), LatencyMs = 2000 + i },
        }));
        // a late-arriving sample with an older timestamp is one of the last runs (by arrival), and a
        // future-dated one does not stay at the head of the window once newer runs arrive
        store.Samples.Add(new Sample { Engine = Engine.V2, At = T0.AddSeconds(8.5), LatencyMs = 2085 });
        store.Samples.Add(new Sample { Engine = Engine.V1, At = T0.AddDays(365), LatencyMs = 9999 });
        store.Samples.AddRange(Enumerable.Range(11, 3).Select(i => new Sample { Engine = Engine.V1, At = T0.AddSeconds(i), LatencyMs = 1000 + i }));

        Assert.Multiple(() =>
        {
            Assert.That(store.Samples.LastRuns(Engine.V2, 4).Select(s => s.LatencyMs), Is.EqualTo(new double[] { 2008, 2009, 2010, 2085 }));
            Assert.That(store.Samples.LastRuns(Engine.V1, 3).Select(s => s.LatencyMs), Is.EqualTo(new double[] { 1011, 1012, 1013 }));
            Assert.That(store.Samples.LastRuns(Engine.V1, 100), Has.Count.EqualTo(14));
            Assert.That(store.Samples.LastRuns(Engine.V1, 0), Is.Empty);
        });
    }

    [Test]
    public void Since_is_exclusive_of_since_and_inclusive_of_now_from_the_clock()
    {
        using var store = OpenStore();
        store.Samples.AddRange(Enumerable.Range(0, 10).Select(i => new Sample { Engine = Engine.V2, At = T0.AddMinutes(i), LatencyMs = i }));
        store.Samples.Add(new Sample { Engine = Engine.V1, At = T0.AddMinutes(5), LatencyMs = 99 });
        Clock.Advance(TimeSpan.FromMinutes(7)); // now = T0+7min: later samples are in the future

        Assert.Multiple(() =>
        {
            Assert.That(store.Samples.Since(Engine.V2, T0.AddMinutes(4)).Select(s => s.LatencyMs), Is.EqualTo(new double[] { 5, 6, 7 }));
            Assert.That(store.Samples.Since(Engine.V1, T0).Select(s => s.LatencyMs), Is.EqualTo(new double[] { 99 }));
            Assert.That(store.Samples.Since(Engine.V2, T0.AddMinutes(7)), Is.Empty);
        });
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.That(store.Samples.Since(Engine.V2, T0.AddMinutes(4)).Select(s => s.LatencyMs), Is.EqualTo(new double[] { 5, 6, 7, 8, 9 }));
    }

    [Test]
    public void A_disposed_store_refuses_use()
    {
        var store = OpenStore();
        store.Dispose();
        Assert.That(() => store.Settings.History(), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void New_store_has_default_settings_and_empty_history()
    {
        using var store = OpenStore();
        Assert.Multiple(() =>
        {
            Assert.That(store.Settings.Current.Settings, Is.EqualTo(RouterSettings.Default));
            Assert.That(store.Settings.History(), Is.Empty);
            Assert.That(store.Audit.Read(), Is.Empty);
            Assert.That(store.Samples.LastRuns(Engine.V2, 10), Is.Empty);
        });
    }

    [Test]
    public void Samples_keep_their_metrics_and_tags_through_both_reads()
    {
        using var store = OpenStore();
        var sample = new Sample
        {
            Engine = Engine.V2, At = T0, LatencyMs = 812,
            Metrics = new Dictionary<string, double> { ["tokens_out"] = 0.25, ["llm_call"] = 1, ["anomaly"] = 0 },
            Tags = new Dictionary<string, string> { ["region"] = "eu-west", ["flow"] = "SICK_CALLER \"quoted\" \u00e9" },
        };
        var emptyMaps = new Sample { Engine = Engine.V2, At = T0.AddSeconds(1), Metrics = new Dictionary<string, double>(), Tags = new Dictionary<string, string>() };
        store.Samples.AddRange([sample, emptyMaps]);
        Clock.Advance(TimeSpan.FromMinutes(1));

        var last = store.Samples.LastRuns(Engine.V2, 10);
        var since = store.Samples.Since(Engine.V2, T0.AddSeconds(-1));
        Assert.Multiple(() =>
        {
            foreach (var read in new[] { last, since })
            {
                Assert.That(read[0].Metrics, Is.EquivalentTo(sample.Metrics));
                Assert.That(read[0].Tags, Is.EquivalentTo(sample.Tags));
                Assert.That(read[1].Metrics, Is.Null, "an empty map is stored as NULL");
                Assert.That(read[1].Tags, Is.Null);
                Assert.That(SampleJson.Write(read[0]), Is.EqualTo(SampleJson.Write(sample)));
            }
        });
    }
}
