using CanarySim.Core.Rollback;
using CanarySim.Service.Guard;
using CanarySim.Storage.Postgres;
using CanarySim.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static CanarySim.Service.Tests.Infrastructure.GuardCalls;

namespace CanarySim.Service.Tests.Fleet;

/// <summary>
/// Two guard instances on one PostgreSQL database (<c>--store</c>), as two <c>canarysim serve</c> processes
/// of a fleet: a kill switch set on one reaches the other through NOTIFY with no clock moving, a stale
/// partial update cannot undo it, exactly one instance evaluates, and an instance cut off from the store
/// says so on /guard/health and, past the staleness limit, serves v1 only until the store is back.
/// </summary>
[TestFixture]
public sealed class PostgresFleetTests
{
    /// <summary>How long a wait for the other instance or the server may take before it fails the test: a failure guard only (the normal case takes milliseconds).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private string _database = null!;
    private GuardHost _a = null!;
    private GuardHost _b = null!;

    [SetUp]
    public void Start()
    {
        _database = PostgresTests.Cluster.CreateDatabase("guard");
        _a = new GuardHost(s => Fleet(s, "a"));
        _b = new GuardHost(s => Fleet(s, "b"));
        Signals.Watch(_a);
        Signals.Watch(_b);
    }

    [TearDown]
    public void Stop()
    {
        _b.Dispose();
        _a.Dispose();
        NpgsqlConnection.ClearAllPools();
    }

    [Test]
    public async Task A_kill_switch_set_on_one_instance_reaches_the_other_at_once_and_a_stale_partial_update_keeps_it()
    {
        await Ok(_a.PutConfigAsync("""{"canary_pct": 100, "reason": "everyone on v2"}"""));
        await Until(() => _b.Runtime.SettingsVersion == 1);
        Assert.That(await Selected(_b, "session-7"), Is.EqualTo("v2"));

        await Ok(_a.Authorized.PostAsync("/guard/rollback", GuardHost.Json("""{"reason": "payroll answers look wrong", "actor": "carol"}""")));
        // no clock moves: only the notification can bring it
        await Until(() => _b.Runtime.SettingsVersion == 2);
        Assert.That(await Selected(_b, "session-7"), Is.EqualTo("v1"));

        var answer = await Body(_b.PutConfigAsync("""{"phase": "p2", "reason": "label the phase"}"""));
        var history = (await Body(_a.Authorized.GetAsync("/guard/history?limit=10")))["changes"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(answer["settings"]!["kill_switch"]!.GetValue<bool>(), Is.True);
            Assert.That(answer["settings"]!["version"]!.GetValue<long>(), Is.EqualTo(3));
            Assert.That(history.Select(c => c!["instance"]!.GetValue<string>()), Is.EqualTo(new[] { "b", "a", "a" }));
            Assert.That(history[0]!["before"]!.ToJsonString(), Is.EqualTo(history[1]!["after"]!.ToJsonString()));
        });
        await Until(() => _a.Runtime.SettingsVersion == 3);
        Assert.That((await _a.StatusAsync())["settings"]!["phase"]!.GetValue<string>(), Is.EqualTo("p2"), "a's dashboard shows b's change");
    }

    [Test]
    public async Task Exactly_one_instance_evaluates_and_the_other_refuses_with_409()
    {
        var first = await _a.Authorized.PostAsync("/guard/evaluate", GuardHost.Json("{}"));
        var second = await _b.Authorized.PostAsync("/guard/evaluate", GuardHost.Json("{}"));
        var refused = (await second.Content.ReadFromJsonAsync<JsonObject>())!;
        var background = _b.Runtime.Evaluate("background");
        var healthA = await Body(_a.Client.GetAsync("/guard/health"));
        var healthB = await Body(_b.Client.GetAsync("/guard/health"));
        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(refused["error"]!.GetValue<string>(), Is.EqualTo("not_evaluator"));
            Assert.That(refused["reason"]!.GetValue<string>(), Does.Contain("instance 'b' is not the fleet's evaluator"));
            Assert.That(background["verdict"]!.GetValue<string>(), Is.EqualTo("skipped"));
            Assert.That(_b.Runtime.SkippedEvaluations, Is.EqualTo(1));
            Assert.That(_b.Runtime.EvaluationCount, Is.Zero);
            Assert.That(healthA["evaluator"]!.GetValue<bool>(), Is.True);
            Assert.That(healthB["evaluator"]!.GetValue<bool>(), Is.False);
        });

        // the evaluator goes away (its process ends: its session and lock with it); the other takes over at its next turn
        _a.Dispose();
        Assert.That(_b.Runtime.Evaluate("background")["verdict"]!.GetValue<string>(), Is.Not.EqualTo("skipped"));
        Assert.That(_b.Runtime.IsEvaluator, Is.True);
        _a = new GuardHost(s => Fleet(s, "a2"));
        Signals.Watch(_a);
        Assert.That((await _a.Authorized.PostAsync("/guard/evaluate", GuardHost.Json("{}"))).StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a restarted instance does not take it back");
    }

    [Test]
    public async Task A_breaching_batch_posted_to_another_instance_is_evaluated_by_the_evaluator_at_once()
    {
        await Ok(_a.PutConfigAsync("""{"canary_pct": 50, "reason": "ramp"}"""));
        await Ok(_a.Authorized.PostAsync("/guard/evaluate", GuardHost.Json("{}"))); // a is the fleet's evaluator
        await _b.PostSamplesAsync(GuardHost.Samples(40));
        await _b.PostSamplesAsync(GuardHost.Samples(60, v2LatencyMs: 1850));

        // no clock moves (no background evaluation): a hears b's batches through the store and evaluates on them
        await Until(() => _b.Runtime.Served.Current.KillSwitch);
        await _a.Runtime.IngestEvaluationSettled;
        // b's own ingest turns run in the background too: a's rollback can reach b before they ran (seen under load)
        await _b.Runtime.IngestEvaluationSettled;
        var newest = _a.Runtime.History(1).Single();
        Assert.Multiple(() =>
        {
            Assert.That(_a.Runtime.IngestEvaluations, Is.GreaterThanOrEqualTo(1));
            Assert.That(newest.Kind, Is.EqualTo(SettingsChangeKind.Rollback));
            Assert.That(newest.Instance, Is.EqualTo("a"), "the evaluator rolled back");
            Assert.That(_b.Runtime.EvaluationCount, Is.Zero, "b only stored the samples");
            Assert.That(_b.Runtime.SkippedEvaluations, Is.GreaterThanOrEqualTo(1), "b's own ingest turn was skipped");
        });
    }

    [Test]
    public async Task Cut_off_from_the_store_an_instance_is_unhealthy_and_past_the_staleness_limit_serves_v1_until_the_store_is_back()
    {
        await Ok(_a.PutConfigAsync("""{"canary_pct": 100, "reason": "everyone on v2"}"""));
        await Until(() => _b.Runtime.SettingsVersion == 1);
        var watcher = (PostgresSettingsWatcher)_b.Services.GetRequiredService<GuardStores>().Watcher;
        var name = new NpgsqlConnectionStringBuilder(_database).Database;

        PostgresTests.Cluster.Execute("postgres", $"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false;");
        PostgresTests.Cluster.Execute("postgres", $"SELECT pg_terminate_backend({watcher.BackendProcessId}, 25000);");
        await Until(() => !watcher.Health.Connected);

        var cutOff = await _b.Client.GetAsync("/guard/health");
        var cutOffBody = (await cutOff.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Multiple(() =>
        {
            Assert.That(cutOff.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(cutOffBody["error"]!.GetValue<string>(), Is.EqualTo("store_disconnected"));
            Assert.That(cutOffBody["store"]!["connected"]!.GetValue<bool>(), Is.False);
            Assert.That(cutOffBody["store"]!["serving"]!.GetValue<string>(), Is.EqualTo("stored"), "not stale yet: the last known settings");
        });
        Assert.That(await Selected(_b, "session-7"), Is.EqualTo("v2"));

        _b.Clock.Advance(TimeSpan.FromSeconds(30)); // Guard:StoreStaleness (default 30 s)
        var stale = await Body(_b.Client.GetAsync("/guard/health"), HttpStatusCode.ServiceUnavailable);
        Assert.Multiple(async () =>
        {
            Assert.That(stale["store"]!["stale"]!.GetValue<bool>(), Is.True);
            Assert.That(stale["store"]!["serving"]!.GetValue<string>(), Is.EqualTo("fail_safe"));
            Assert.That(await Selected(_b, "session-7"), Is.EqualTo("v1"), "fail safe: everything to v1");
            Assert.That(_b.Runtime.Live.Current.KillSwitch, Is.False, "the stored copy is unchanged: nothing was written");
            Assert.That(await Selected(_a, "session-7"), Is.EqualTo("v2"), "the instance that still sees the store serves the stored settings");
        });

        PostgresTests.Cluster.Execute("postgres", $"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true;");
        // The reconnect backoff runs on the instance's clock: each step moves it a second and waits up to 100 ms of real
        // time. The real connect can take longer on a loaded machine, so the steps go on until it is back or the bound passes.
        var reconnecting = System.Diagnostics.Stopwatch.StartNew(); // a bound on the wait, not a clock of the system under test
        while (!watcher.Health.Connected && reconnecting.Elapsed < Bound)
        {
            _b.Clock.Advance(TimeSpan.FromSeconds(1));
            await Until(() => watcher.Health.Connected, TimeSpan.FromMilliseconds(100), fail: false);
        }
        _b.Clock.Advance(TimeSpan.FromSeconds(1)); // the staleness check runs on the same clock
        var back = await Body(_b.Client.GetAsync("/guard/health"));
        Assert.Multiple(async () =>
        {
            Assert.That(back["status"]!.GetValue<string>(), Is.EqualTo("ok"));
            Assert.That(back["store"]!["serving"]!.GetValue<string>(), Is.EqualTo("stored"));
            Assert.That(await Selected(_b, "session-7"), Is.EqualTo("v2"));
        });
    }

    private void Fleet(IDictionary<string, string?> settings, string instance)
    {
        settings["Guard:Store"] = _database;
        settings["Guard:InstanceName"] = instance;
    }

    private static Task Until(Func<bool> condition, TimeSpan? bound = null, bool fail = true) => Signals.Until(condition, bound ?? Bound, fail);

    /// <summary>
    /// Wakes the waiting test whenever an instance adopts settings, records a change or its watcher's health
    /// moves (all raised on background threads), so waits need no sleep: each wait re-checks its condition
    /// when woken, with an overall bound.
    /// </summary>
    private static class Signals
    {
        private static readonly SemaphoreSlim Woken = new(0);

        public static void Watch(GuardHost host)
        {
            host.Runtime.Guard.Controller.Refreshed += _ => Woken.Release();
            host.Runtime.Guard.Controller.Changed += _ => Woken.Release();
            if (host.Services.GetRequiredService<GuardStores>().Watcher is PostgresSettingsWatcher watcher)
            {
                watcher.HealthChanged += _ => Woken.Release();
            }
        }

        public static async Task Until(Func<bool> condition, TimeSpan bound, bool fail)
        {
            var waited = System.Diagnostics.Stopwatch.StartNew(); // a bound on the wait, not a clock of the system under test
            while (!condition())
            {
                var left = bound - waited.Elapsed;
                if (left <= TimeSpan.Zero || !await Woken.WaitAsync(left))
                {
                    if (fail && !condition())
                    {
                        Assert.Fail($"condition not met within {bound}");
                    }
                    return;
                }
            }
        }
    }
}
