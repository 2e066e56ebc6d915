using CanarySim.Core.Rollout;
using CanarySim.Service.Rollout;
using CanarySim.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CanarySim.Service.Tests.Rollout;

/// <summary>
/// A service running a live plan on a virtual clock. The runner does not tick on its own here: a test
/// ticks (<see cref="TickAsync"/>), advancing the clock by the plan's evaluation interval first.
/// </summary>
public abstract class LiveRolloutHostFixture
{
    protected GuardHost Host { get; private set; } = null!;

    private TempDirectory _folder = null!;

    protected string Directory => _folder.Path;

    protected LiveRollout Rollout => Host.Services.GetRequiredService<LiveRolloutHost>().Rollout!;

    [SetUp]
    public void Folder() => _folder = new TempDirectory("service-tests");

    [TearDown]
    public void Stop()
    {
        Host?.Dispose();
        _folder.Dispose();
    }

    protected GuardHost Start(RolloutPlan plan, bool evaluateOnIngest = false, Action<IServiceCollection>? services = null, ManualClock? clock = null)
    {
        Host?.Dispose();
        Host = new GuardHost(s =>
        {
            s["Guard:BackgroundEvaluation"] = "false";
            s["Guard:EvaluateOnIngest"] = evaluateOnIngest ? "true" : "false";
            s["Guard:PlanTicks"] = "false";
        }, Path.Combine(Directory, "guard.db"), services: s =>
        {
            s.PostConfigure<GuardServiceOptions>(o => o.Plan = plan);
            services?.Invoke(s);
        }, clock: clock);
        _ = Host.Client; // the host (and the plan) starts with the first client
        return Host;
    }

    /// <summary>Advances the clock by the plan's evaluation interval and ticks once.</summary>
    protected async Task TickAsync(int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            Host.Clock.Advance(Rollout.Plan.EvaluationInterval);
            await Rollout.TickAsync();
        }
    }

    protected async Task<JsonObject> RolloutAsync()
    {
        var response = await Host.Authorized.GetAsync("/guard/rollout");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    protected async Task<HttpResponseMessage> PostAsync(string path, string json) => await Host.Authorized.PostAsync(path, GuardHost.Json(json));
}
