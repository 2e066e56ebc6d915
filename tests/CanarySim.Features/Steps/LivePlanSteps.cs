using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CanarySim.Core.Rollout;
using CanarySim.Harness.Simulation;
using CanarySim.Service;
using CanarySim.Service.Rollout;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using CanarySim.Core.Reporting;

namespace CanarySim.Features.Steps;

/// <summary>
/// One plan file run three ways through the one rollout driver: simulated in virtual time (the simulator),
/// rehearsed over played traffic (the rehearsal's guard and stage machine), and live on a started guard service
/// (<c>serve --plan</c> in process on 127.0.0.1 and the wall clock, with bad v2 samples posted over HTTP as the
/// regression). Each way records the stages it entered and where it rolled back, so the three can be compared.
/// </summary>
[Binding]
public sealed class LivePlanSteps(SweepRecord plans, ControlPlane plane, ScenarioWorld rehearsal, TierRecord tiers, ScenarioEvidence scenario)
{
    private const string Token = "live-plan-feature-token-0123456789";
    private readonly Dictionary<string, (List<string> Stages, string? RolledBackAt, bool Completed)> _runs = new(StringComparer.Ordinal);

    private RolloutPlan Plan => plans.Plan?.Plan ?? throw new InvalidOperationException("no plan yet: add 'Given the plan \"fixtures/plans/live-short.yaml\"'");

    /// <summary>Simulates the plan in virtual time (seed 42), with one injected fault written as for <c>canarysim simulate --inject</c> when given.</summary>
    [When(@"^the plan is simulated(?: with ""(?<inject>[^""]+)""|(?<inject>))$")]
    public void Simulated(string inject)
    {
        var plan = Plan;
        var options = new SimulationOptions
        {
            Injections = inject.Length == 0 ? [] : [FaultInjectionParser.Parse(inject, plan.Start)],
            ArtifactBase = PlanFolder,
            // scenarios run in parallel: a second draw thread per simulation would only spin against them
            ParallelDraws = false,
        };
        var result = new RolloutSimulator(plan, options).Run();
        var stages = result.Report.Stages.Select(s => s.Name).ToList();
        var rolledBack = result.Report.Stages.LastOrDefault(s => s.Outcome.StartsWith("rolled back", StringComparison.Ordinal))?.Name;
        _runs["simulated"] = (stages, rolledBack, result.Outcome == SimulationOutcome.Completed);
        scenario.Attach("simulated", result.Verdict);
    }

    /// <summary>
    /// Rehearses the plan over played traffic (one evaluation per plan interval, approvers approve, release gates judge the
    /// plan's artifact files, a rollback rehearsal runs on the rehearsal's router): for the given time,
    /// or — with "v2 scoring quality N from stage S on" — until the stage is entered, then with v2's quality at N.
    /// </summary>
    [When(@"^the plan is rehearsed for (.+?)(?:, v2 scoring quality (?<quality>\d+(?:\.\d+)?) from stage ""(?<stage>[^""]+)"" on|(?<quality>)(?<stage>))$")]
    public void Rehearsed(TimeSpan duration, string quality, string stage)
    {
        var plan = Plan;
        plane.Policy = RolloutSimulator.BuildDetectorOptions(plan);
        rehearsal.Timeline.Step = plan.EvaluationInterval;
        var gates = new ApprovalGateRunner { ReleaseGates = (plan, PlanFolder, rehearsal.Time) };
        if (plan.Stages.SelectMany(s => s.Gates).FirstOrDefault(g => g.Kind == GateKind.RollbackRehearsal) is { } rehearsalGate)
        {
            var rollbackRehearsal = new RollbackRehearsal(plane.Controller, plane.Executor, rehearsal.Audit, rehearsal.Time,
                new RollbackRehearsalOptions { SmokeScenarios = rehearsalGate.Smoke });
            gates.Rehearse = () => rollbackRehearsal.RunAsync($"{plan.Name}: rehearsed rollback").GetAwaiter().GetResult();
        }
        var rollout = new ProgressiveRollout(rehearsal, plane.Guard, plan, gates);
        tiers.Rollout = rollout;
        var played = TimeSpan.Zero;
        if (stage.Length > 0)
        {
            while (rollout.Machine.Stage.Name != stage && rollout.Machine.Status == RolloutStatus.Running && played < duration)
            {
                rollout.Run(plan.EvaluationInterval);
                played += plan.EvaluationInterval;
            }
            rehearsal.Timeline.V2 = rehearsal.Timeline.V2 with { Quality = double.Parse(quality, CultureInfo.InvariantCulture) };
        }
        if (duration > played)
        {
            rollout.Run(duration - played);
        }
        var status = rollout.Machine.Status;
        _runs["rehearsed"] = (rollout.Entered.Select(e => e.Stage).ToList(), status == RolloutStatus.RolledBack ? rollout.Machine.Stage.Name : null, status == RolloutStatus.Completed);
    }

    /// <summary>
    /// Starts the guard service in process (<c>serve --plan</c>: real HTTP on 127.0.0.1, SQLite, the wall clock), posts healthy
    /// samples, approves every manual gate as its approver, posts each release gate's artifact files for its stage
    /// (POST /guard/rollout/artifacts; a rehearsal gate runs on its own), and waits until the plan completes or rolls back — with
    /// "posting v2 samples of quality N at stage S", once it reaches that stage it posts samples where v2 scores N.
    /// </summary>
    [When(@"^the plan runs live on a started guard service(?:, posting v2 samples of quality (?<quality>\d+(?:\.\d+)?) at stage ""(?<stage>[^""]+)""|(?<quality>)(?<stage>))$")]
    public async Task Live(string quality, string stage)
    {
        var plan = Plan;
        LivePlanRules.EnsureLive(plan);
        var dir = Path.Combine(Path.GetTempPath(), "canarysim-features-live", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var app = GuardServiceHost.Build(new GuardServiceOptions
        {
            Urls = "http://127.0.0.1:0",
            DatabasePath = Path.Combine(dir, "guard.db"),
            OpsToken = Token,
            BackgroundEvaluation = false,
            Plan = plan,
            Policy = RolloutSimulator.BuildDetectorOptions(plan),
        });
        try
        {
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            await PostAsync(http, "/guard/samples", Samples(100, 94));
            foreach (var s in plan.Stages)
            {
                foreach (var gate in s.Gates.Where(g => g.Kind == GateKind.ManualApproval))
                {
                    await WaitAsync(http, v => v["stage"]!.GetValue<string>() == s.Name || Finished(v));
                    await PostAsync(http, "/guard/rollout/approve", JsonSerializer.Serialize(new { stage = s.Name, approver = gate.Approver, reason = "rehearsed and simulated" }));
                }
                foreach (var gate in s.Gates.Where(g => g.Kind == GateKind.ReleaseGate))
                {
                    // The UAT run of the stage posts its raw artifacts: the very files the simulation and the rehearsal judged.
                    await WaitAsync(http, v => v["stage"]!.GetValue<string>() == s.Name || Finished(v));
                    var raws = gate.Artifacts.Select(a => JsonNode.Parse(File.ReadAllText(Path.Combine(PlanFolder, a)))).ToList();
                    await PostAsync(http, "/guard/rollout/artifacts", JsonSerializer.Serialize(new { stage = s.Name, actor = "uat-ci", artifacts = raws }));
                }
                if (s.Name == stage)
                {
                    await WaitAsync(http, v => v["stage"]!.GetValue<string>() == stage || Finished(v));
                    await PostAsync(http, "/guard/samples", Samples(100, double.Parse(quality, CultureInfo.InvariantCulture)));
                }
            }
            var view = await WaitAsync(http, v => v["history"]!.AsArray().LastOrDefault()?["event"]?.GetValue<string>() is "completed" or "rolled_back");
            var history = view["history"]!.AsArray().Select(h => (Event: h!["event"]!.GetValue<string>(), Stage: h["stage"]!.GetValue<string>())).ToList();
            var entered = history.Where(h => h.Event is "started" or "advanced").Select(h => h.Stage).ToList();
            var last = history[^1];
            _runs["live"] = (entered, last.Event == "rolled_back" ? last.Stage : null, last.Event == "completed");
            scenario.Attach("live rollout", view.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Checks the stages each named run entered, in order (e.g. <c>the simulated, rehearsed and live runs went through canary-5, canary-25 and progressive-50</c>).</summary>
    [Then(@"^the ((?:(?:simulated|rehearsed|live)(?:, | and )?)+) runs? went through ((?:[a-z0-9_-]+(?:, | and )?)+)$")]
    public void WentThrough(string modes, string stages)
    {
        var expected = Names(stages);
        Assert.Multiple(() =>
        {
            foreach (var mode in Names(modes))
            {
                Assert.That(Run(mode).Stages, Is.EqualTo(expected), $"the {mode} run");
            }
        });
    }

    /// <summary>Checks that each named run rolled back at the given stage.</summary>
    [Then(@"^the ((?:(?:simulated|rehearsed|live)(?:, | and )?)+) runs? rolled back at stage ""([^""]+)""$")]
    public void RolledBackAt(string modes, string stage)
    {
        Assert.Multiple(() =>
        {
            foreach (var mode in Names(modes))
            {
                Assert.That(Run(mode).RolledBackAt, Is.EqualTo(stage), $"the {mode} run");
            }
        });
    }

    /// <summary>Checks that each named run completed its last stage.</summary>
    [Then(@"^the ((?:(?:simulated|rehearsed|live)(?:, | and )?)+) runs? completed$")]
    public void Completed(string modes)
    {
        Assert.Multiple(() =>
        {
            foreach (var mode in Names(modes))
            {
                Assert.That(Run(mode).Completed, Is.True, $"the {mode} run");
            }
        });
    }

    private string PlanFolder => Path.GetDirectoryName(plans.Plan?.Path) ?? ".";

    private (List<string> Stages, string? RolledBackAt, bool Completed) Run(string mode) =>
        _runs.TryGetValue(mode, out var run) ? run : throw new InvalidOperationException($"the plan was not {mode} yet: add the step that runs it that way");

    private static List<string> Names(string list) => list.Replace(" and ", ", ", StringComparison.Ordinal).Split(", ", StringSplitOptions.RemoveEmptyEntries).ToList();

    private static bool Finished(JsonObject view) => view["state"]!.GetValue<string>() is "rolled_back" or "completed";

    private static string Samples(int n, double v2Quality) => JsonSerializer.Serialize(Enumerable.Range(0, n).SelectMany(i => new object[]
    {
        new { engine = "v1", latency_ms = 800 + i % 20, quality = 95.0, cost_cents = 1.4 },
        new { engine = "v2", latency_ms = 820 + i % 20, quality = v2Quality, cost_cents = 1.5 },
    }));

    private static async Task PostAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.That(response.IsSuccessStatusCode, Is.True, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// Long-polls GET /guard/rollout (the server answers at the next transition, or after 10 s) until <paramref name="reached"/>;
    /// fails after two minutes, or at once when the rollout ended elsewhere. Bounded by time, not by a number of polls: each
    /// transition (approved, artifacts, gate_passed, advanced, …) ends a poll, so live-full.yaml alone needs five after its
    /// artifacts, and one slow stage on a loaded machine must not fail a rollout that is still progressing.
    /// </summary>
    private static async Task<JsonObject> WaitAsync(HttpClient http, Func<JsonObject, bool> reached)
    {
        var bound = TimeSpan.FromMinutes(2);
        var waited = System.Diagnostics.Stopwatch.StartNew(); // a bound on the wait, not a clock of the service
        var view = JsonNode.Parse(await http.GetStringAsync("/guard/rollout"))!.AsObject();
        while (!reached(view) && waited.Elapsed < bound && !Ended(view))
        {
            view = JsonNode.Parse(await http.GetStringAsync($"/guard/rollout?after={view["history"]!.AsArray().Count}&wait_s=10"))!.AsObject();
        }
        Assert.That(reached(view), Is.True, $"the live rollout did not get there (waited {waited.Elapsed.TotalSeconds:0} s of at most {bound.TotalSeconds:0} s): {view.ToJsonString()}");
        return view;
    }

    // The last stored transition ended the rollout: nothing moves any more.
    private static bool Ended(JsonObject view) =>
        view["history"]!.AsArray().LastOrDefault()?["event"]?.GetValue<string>() is "completed" or "rolled_back" or "aborted";
}
