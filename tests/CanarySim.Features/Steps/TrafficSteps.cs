using CanarySim.Core;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using CanarySim.Harness.Fakes;

namespace CanarySim.Features.Steps;

/// <summary>
/// Steps that play traffic over virtual time (exact v1/v2 metrics per minute, the real guard
/// evaluating after each minute) and route seeded synthetic (Bogus) traffic through the real router.
/// </summary>
[Binding]
public sealed class TrafficSteps(ControlPlane plane, ScenarioWorld rehearsal, GuardLog log)
{
    private readonly List<(EngineRequest Request, RouteDecision Decision)> _routed = [];

    /// <summary>Sets the seed of the scenario's synthetic traffic and samples (same seed, same run).</summary>
    [Given(@"^the traffic seed is (\d+)$")]
    public void Seed(int seed) => rehearsal.Seed = seed;

    /// <summary>Sets how many runs each engine serves per minute of played traffic (default 100).</summary>
    [Given(@"^each engine serves (\d+) runs per minute$")]
    public void RunsPerMinute(int runs) => rehearsal.Timeline.RunsPerStep = runs;

    /// <summary>Makes an exact share of v2's runs fail from now on.</summary>
    [Given(@"^v2 fails (\d+(?:\.\d+)?)% of its runs$")]
    [When(@"^v2 starts failing (\d+(?:\.\d+)?)% of its runs$")]
    public void V2Fails(double pct) => rehearsal.Timeline.V2 = rehearsal.Timeline.V2 with { ErrorRate = pct / 100 };

    /// <summary>Sets the latency of every run of one engine (so its p95 equals it). Default: 800 ms for both; the detector's latency limit is v2's p95 above 1600 ms.</summary>
    [Given(@"^(v1|v2) answers in (\d+(?:\.\d+)?) ?(ms|s) at p95$")]
    [When(@"^(v1|v2) starts answering in (\d+(?:\.\d+)?) ?(ms|s) at p95$")]
    public void Latency(string engine, double value, string unit)
    {
        var ms = unit == "s" ? value * 1000 : value;
        Reshape(engine, s => s with { LatencyMs = ms });
    }

    /// <summary>Makes v2's latency (and so its p95) rise by this much every minute of played traffic (a gradual slowdown).</summary>
    [Given(@"^v2's p95 latency rises (\d+(?:\.\d+)?) ?ms every minute$")]
    public void LatencyDrift(double ms) => rehearsal.Timeline.V2LatencyRisePerStep = ms;

    /// <summary>Sets the cost per run of one engine.</summary>
    [Given(@"^(v1|v2) costs (\d+(?:\.\d+)?) cents per run$")]
    public void Cost(string engine, double cents)
    {
        Reshape(engine, s => s with { CostCents = cents });
    }

    /// <summary>Sets the quality score of every run of one engine.</summary>
    [Given(@"^(v1|v2) scores quality (\d+(?:\.\d+)?)$")]
    public void Quality(string engine, double quality)
    {
        Reshape(engine, s => s with { Quality = quality });
    }

    /// <summary>Makes v2 lose quality points every minute of played traffic (gradual degradation).</summary>
    [Given(@"^v2 loses (\d+(?:\.\d+)?) quality points every minute$")]
    public void Degrades(double points) => rehearsal.Timeline.V2QualityLossPerStep = points;

    /// <summary>Makes users complain about exactly this many v2 runs per hour.</summary>
    [Given(@"^users complain about (\d+) v2 runs per hour$")]
    public void Complaints(int perHour) => rehearsal.Timeline.SetV2ComplaintsPerHour(perHour);

    /// <summary>Records one v2 run that broke a security policy (now).</summary>
    [When(@"^a v2 run breaks a security policy$")]
    public void SecurityViolation() => rehearsal.FakeMetrics.Add(new Sample
    {
        Engine = Engine.V2,
        At = rehearsal.Time.GetUtcNow(),
        Quality = rehearsal.Timeline.V2.Quality,
        LatencyMs = rehearsal.Timeline.V2.LatencyMs,
        CostCents = rehearsal.Timeline.V2.CostCents,
        PolicyViolation = true,
    });

    /// <summary>Plays traffic step by step on the fake clock; after every step the real guard evaluates and acts. A step is a minute unless the step says "evaluated every 5 min" (or any duration); "evaluated every minute" is the default written out.</summary>
    [When(@"^traffic runs for (.+?)(?:, evaluated every (?<every>.+)|(?<every>))$")]
    public void TrafficRuns(TimeSpan duration, string every)
    {
        if (every.Length > 0)
        {
            rehearsal.Timeline.Step = StepText.ParseDuration(every);
        }
        log.Step = rehearsal.Timeline.Step;
        log.Outcomes.AddRange(rehearsal.Timeline.Run(duration, () => plane.Guard.EvaluateAndAct()));
    }

    /// <summary>Checks after how much played traffic the controller first made a change of a kind (<c>rollback</c>, <c>reduce_traffic</c>, <c>pause</c>, <c>manual_review</c>).</summary>
    [Then(@"^the first ""([a-z_]+)"" came after (.+) of traffic$")]
    public void FirstActionAfter(string action, TimeSpan after)
    {
        var index = log.Outcomes.FindIndex(o => o.Change is not null && WireName.Of(o.Action) == action);
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"no \"{action}\" happened; actions: {string.Join(", ", log.Outcomes.Select(o => WireName.Of(o.Action)))}");
        Assert.That(log.Step * (index + 1), Is.EqualTo(after));
    }

    /// <summary>Checks that the guard never acted with a kind of change during the played traffic.</summary>
    [Then(@"^no ""([a-z_]+)"" happened$")]
    public void NeverActed(string action) =>
        Assert.That(log.Outcomes.Where(o => o.Change is not null).Select(o => WireName.Of(o.Action)), Has.None.EqualTo(action));

    /// <summary>Routes seeded synthetic requests (Bogus, default profile or a profile file under <c>fixtures/profiles/</c>) through the real router.</summary>
    [When(@"^(\d+) synthetic requests(?: of profile ""(?<profile>[^""]+)""|(?<profile>)) are routed$")]
    public void RouteSynthetic(int count, string? profile)
    {
        var traffic = rehearsal.Traffic();
        if (!string.IsNullOrEmpty(profile))
        {
            traffic = traffic.WithProfile(RepoPaths.Fixture("profiles", profile + ".json"));
        }
        foreach (var request in traffic.Requests(count))
        {
            _routed.Add((request, plane.Router.Route(RouteRequest.From(request))));
        }
    }

    /// <summary>Checks the share of routed synthetic sessions that went to v2 (by distinct session).</summary>
    [Then(@"^between (\d+(?:\.\d+)?)% and (\d+(?:\.\d+)?)% of the synthetic sessions went to v2$")]
    public void ShareOnV2(double low, double high)
    {
        var sessions = _routed.Where(r => r.Request.SessionId is not null).GroupBy(r => r.Request.SessionId).ToList();
        var share = 100.0 * sessions.Count(g => g.First().Decision.Selected == Engine.V2) / sessions.Count;
        Assert.That(share, Is.InRange(low, high), $"{sessions.Count} sessions");
    }

    /// <summary>Checks that every routed synthetic request went to one engine.</summary>
    [Then(@"^every synthetic request went to (v1|v2)$")]
    public void AllTo(string engine) =>
        Assert.That(_routed.Select(r => WireName.Of(r.Decision.Selected)).Distinct(), Is.EqualTo(new[] { engine }));

    /// <summary>Checks that every request of a session went to the same engine (sticky bucketing).</summary>
    [Then(@"^every synthetic session stayed on one engine$")]
    public void Sticky()
    {
        var mixed = _routed.Where(r => r.Request.SessionId is not null).GroupBy(r => r.Request.SessionId)
            .Where(g => g.Select(x => x.Decision.Selected).Distinct().Count() > 1).Select(g => g.Key).ToList();
        Assert.That(mixed, Is.Empty);
    }

    /// <summary>Changes the shape of one engine's runs (<c>v1</c> or <c>v2</c>, as the step captured it) from the next step of traffic on.</summary>
    private void Reshape(string engine, Func<SampleShape, SampleShape> change)
    {
        if (engine == "v1")
        {
            rehearsal.Timeline.V1 = change(rehearsal.Timeline.V1);
        }
        else
        {
            rehearsal.Timeline.V2 = change(rehearsal.Timeline.V2);
        }
    }
}
