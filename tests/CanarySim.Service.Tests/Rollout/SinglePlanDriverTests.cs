using CanarySim.Service.Rollout;
using CanarySim.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CanarySim.Service.Tests.Rollout;

/// <summary>
/// #18: two instances on one store run the same plan, and exactly one drives it (the plan lock: a lock file beside the
/// SQLite database, a PostgreSQL advisory lock with --store: both are tested); the other follows through the store,
/// refuses changes with 409, and takes over when the driver goes away.
/// </summary>
[TestFixture]
public sealed class SinglePlanDriverTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void Folder() => _dir = new TempDirectory("service-tests");

    [TearDown]
    public void Clean()
    {
        _dir.Dispose();
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    private string? _database;

    /// <summary>One instance on the shared store: the SQLite file (plan lock: a lock file beside it) or a PostgreSQL database (an advisory lock).</summary>
    private GuardHost Instance(ManualClock clock, string store, string name) => new(s =>
    {
        s["Guard:BackgroundEvaluation"] = "false";
        s["Guard:EvaluateOnIngest"] = "false";
        s["Guard:PlanTicks"] = "false";
        s["Guard:InstanceName"] = name;
        if (store == "postgresql")
        {
            s["Guard:Store"] = _database ??= PostgresTests.Cluster.CreateDatabase("plan");
        }
    }, store == "postgresql" ? null : _dir.File("guard.db"), services: s => s.PostConfigure<GuardServiceOptions>(o => o.Plan = LivePlans.Short()), clock: clock);

    private static LiveRollout Rollout(GuardHost host) => host.Services.GetRequiredService<LiveRolloutHost>().Rollout!;

    private static async Task<JsonObject> ViewAsync(GuardHost host) => (await host.Authorized.GetFromJsonAsync<JsonObject>("/guard/rollout"))!;

    private static async Task TickAsync(ManualClock clock, params GuardHost[] hosts)
    {
        clock.Advance(TimeSpan.FromSeconds(10));
        foreach (var host in hosts)
        {
            await Rollout(host).TickAsync();
        }
    }

    [TestCase("sqlite")]
    [TestCase("postgresql")]
    public async Task Exactly_one_instance_drives_the_plan_the_other_follows_and_takes_over_when_it_goes(string store)
    {
        var clock = new ManualClock(GuardHost.Start);
        var first = Instance(clock, store, "a");
        _ = first.Client; // starts, takes the plan lock, stores the start
        using var second = Instance(clock, store, "b");
        _ = second.Client;
        await first.PostSamplesAsync(GuardHost.Samples(100));

        Assert.That((await ViewAsync(first))["driving"]!.GetValue<bool>(), Is.True);
        Assert.That((await ViewAsync(second))["driving"]!.GetValue<bool>(), Is.False);
        var refused = await second.Authorized.PostAsync("/guard/rollout/approve", GuardHost.Json("""{"stage": "canary-5", "approver": "release-manager", "reason": "ok"}"""));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("this instance does not drive plan 'live-short'"));

        var approved = await first.Authorized.PostAsync("/guard/rollout/approve", GuardHost.Json("""{"stage": "canary-5", "approver": "release-manager", "reason": "ok"}"""));
        Assert.That(approved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        for (var i = 0; i < 4; i++)
        {
            await TickAsync(clock, first, second);
        }
        var followed = await ViewAsync(second);
        Assert.That(followed["stage"]!.GetValue<string>(), Is.EqualTo("canary-25"), "the follower reads the driver's transitions from the store");
        Assert.That(followed["history"]!.AsArray().Count(h => h!["event"]!.GetValue<string>() == "started"), Is.EqualTo(1), "the plan started once");

        first.Dispose(); // the driver goes away: its lock is released
        for (var i = 0; i < 4; i++)
        {
            await TickAsync(clock, second);
        }
        var view = await ViewAsync(second);
        Assert.Multiple(() =>
        {
            Assert.That(view["driving"]!.GetValue<bool>(), Is.True, "the follower took over");
            Assert.That(view["stage"]!.GetValue<string>(), Is.EqualTo("progressive-50"));
            Assert.That(view["history"]!.AsArray().Select(h => h!["event"]!.GetValue<string>()), Is.EqualTo(new[] { "started", "approved", "advanced", "advanced" }));
        });
    }
}
