using CanarySim.Core.Audit;
using CanarySim.Core.Tests.Detection;
using CanarySim.Core.Tests.Storage;
using CanarySim.Storage.Postgres;
using CanarySim.Storage.Sqlite;
using CanarySim.Testing;

namespace CanarySim.Core.Tests.Fleet;

/// <summary>
/// Two router instances (each its own rollback controller and live snapshot) changing one settings
/// store in any interleaving: the history is a chain (every "before" is the previous "after") and
/// the kill switch is only ever cleared by an explicit re-enable.
/// </summary>
public sealed class FleetSettingsProperties
{
    private static readonly RouterSettings Canary20 = RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 20 };
    private static readonly Breach Quality = new("quality", 13, 3, "quality (drop 13)", VerdictAction.Rollback);
    private static readonly Breach Violation = new(CheckNames.PolicyViolation, 1, 0, "policy_violation (V2: 1)", VerdictAction.Rollback);

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public bool Any_interleaving_in_memory_keeps_the_history_a_chain_and_the_kill_switch_latched(int[] operations)
    {
        var store = new InMemorySettingsStore(Canary20);
        return Check(operations, store, store);
    }

    [FsCheck.NUnit.Property(MaxTest = 25)]
    public bool Any_interleaving_on_one_sqlite_file_keeps_the_history_a_chain_and_the_kill_switch_latched(int[] operations)
    {
        using var folder = new TempDirectory("tests");
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var options = new SqliteStoreOptions { Synchronous = SqliteSynchronousMode.Normal };
        using var a = SqliteStore.Open(folder.File("fleet.db"), clock, options);
        using var b = SqliteStore.Open(folder.File("fleet.db"), clock, options);
        return Check(operations, a.Settings, b.Settings);
    }

    [FsCheck.NUnit.Property(MaxTest = 15)]
    public bool Any_interleaving_on_one_postgres_database_keeps_the_history_a_chain_and_the_kill_switch_latched(int[] operations)
    {
        var database = PostgresTests.Cluster.CreateDatabase("prop");
        var clock = new FakeTimeProvider(TestClock.Epoch);
        using var a = PostgresStore.Open(database, clock);
        using var b = PostgresStore.Open(database, clock);
        return Check(operations, a.Settings, b.Settings);
    }

    [Test]
    public void The_operations_reach_every_kind_of_change_so_the_property_is_not_vacuous()
    {
        var rng = new Random(7);
        var kinds = new HashSet<SettingsChangeKind>();
        var conflicts = 0;
        for (var run = 0; run < 40; run++)
        {
            var store = new InMemorySettingsStore(Canary20);
            var ops = Enumerable.Range(0, 30).Select(_ => rng.Next()).ToArray();
            conflicts += Run(ops, store, store).Conflicts;
            kinds.UnionWith(store.History().Select(c => c.Kind));
        }
        Assert.That(kinds, Is.SupersetOf(new[] { SettingsChangeKind.Rollback, SettingsChangeKind.StagedRollback, SettingsChangeKind.ReEnable, SettingsChangeKind.Config, SettingsChangeKind.Resume, SettingsChangeKind.ReduceTraffic, SettingsChangeKind.Pause }));
        Assert.That(conflicts, Is.GreaterThan(0), "stale full replaces were tried and refused");
    }

    private static bool Check(int[] operations, ISettingsStore storeA, ISettingsStore storeB)
    {
        var (history, _) = Run(operations ?? [], storeA, storeB);
        for (var i = 0; i < history.Count; i++)
        {
            var c = history[i];
            if (c.Sequence != i + 1)
            {
                return false;
            }
            var previous = i == 0 ? Canary20 : history[i - 1].After;
            if (!c.Before.Equals(previous))
            {
                return false;
            }
            // cleared only by a re-enable or a full replace that says kill_switch=false, never by a partial update
            if (c.Before.KillSwitch && !c.After.KillSwitch && !(c.Kind == SettingsChangeKind.ReEnable && c.Reason is "fixed" or "replace"))
            {
                return false;
            }
            if (c.Reason is "phase" or "ramp" && c.Before.KillSwitch != c.After.KillSwitch)
            {
                return false;
            }
        }
        return true;
    }

    private static (IReadOnlyList<SettingsChange> History, int Conflicts) Run(int[] operations, ISettingsStore storeA, ISettingsStore storeB)
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var options = new DetectorOptions { StagedRollback = true };
        var instances = new[]
        {
            new RollbackController(new LiveSettings(Canary20), storeA, new InMemoryAuditLog(), clock, options, "a"),
            new RollbackController(new LiveSettings(Canary20), storeB, new InMemoryAuditLog(), clock, options, "b"),
        };
        var conflicts = 0;
        foreach (var op in operations)
        {
            var c = instances[op & 1];
            var arg = (op >>> 5) % 101;
            clock.Advance(TimeSpan.FromSeconds(1));
            try
            {
                switch ((op >>> 1) % 11)
                {
                    case 0: c.Apply(VerdictAction.Rollback, [Quality]); break;
                    case 1: c.Apply(VerdictAction.Rollback, [Violation]); break;
                    case 2: c.ManualRollback("ops", "by hand"); break;
                    case 3: c.ReEnable("ops", "fixed", arg); break;
                    case 4: c.UpdateConfig("ops", "phase", s => s with { Phase = $"p{arg % 5}" }); break;
                    case 5: c.UpdateConfig("ops", "ramp", s => s with { CanaryPct = arg }); break;
                    case 6: c.Resume("ops", "go on"); break;
                    case 7: c.Refresh(); break;
                    case 8: c.Apply(VerdictAction.ReduceTraffic, [Quality]); break;
                    case 9: c.Apply(VerdictAction.Pause, [Quality]); break;
                    default:
                        // a full replace based on the version this instance last saw
                        var seen = c.Current;
                        c.UpdateConfig("ops", "replace", _ => seen with { KillSwitch = false, CanaryPct = arg }, c.Version);
                        break;
                }
            }
            catch (InvalidOperationException)
            {
                // resume while rolled back is refused
            }
            catch (SettingsConflictException)
            {
                conflicts++;
            }
        }
        return (storeA.History(), conflicts);
    }
}
