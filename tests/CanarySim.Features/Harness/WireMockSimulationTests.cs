using CanarySim.Core.Reporting;
using CanarySim.Core.Rollout;
using CanarySim.Core.Routing;
using CanarySim.Harness.Simulation;
using CanarySim.Harness.WireMock;
using CanarySim.Reports;

namespace CanarySim.Features.Harness;

/// <summary>
/// <c>simulate --engines wiremock</c> against a real WireMock server (one of this fixture's own, so it runs beside the
/// scenarios; the simulator resets it and loads its stubs): the engines are really called, the journal
/// matches the simulated traffic, and the outputs are deterministic — the same as in-process.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class WireMockSimulationTests
{
    private static readonly DateTimeOffset Start = new(2026, 2, 16, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Shadow for 4 h, then a 30 % canary; no natural errors, so every failure is injected.</summary>
    private const string Plan = """
        schema: canarysim.plan/v1
        name: wiremock-canary
        start: 2026-02-16T00:00:00Z
        duration: 1d
        evidence: { window: 6h }
        traffic:
          requests: 1200
          profile: steady
          sessions: 400
          agents: [guest, bar_manager, admin]
          v1: { error_rate: 0 }
          v2: { error_rate: 0, divergence: 0.2 }
        progression: { healthy_evaluations: 10, diff_sample_rate: 0.1 }
        stages:
          - { name: shadow, kind: shadow, percent: 0, min_hold: 4h }
          - { name: canary-30, kind: progressive, percent: 30, min_hold: 7d }
        """;

    private WireMockServer _server = null!;
    private SimulationResult _first = null!;
    private Journal _journal = null!;

    private sealed record Journal(int V1Serve, int V2Serve, int V1All, int V2All, int Compare, int Unmatched);

    [OneTimeSetUp]
    public async Task RunOnce()
    {
        _server = WireMockServer.Start();
        _first = Simulate(Plan, seed: 42);
        _journal = new Journal(
            await Count(RequestPattern.For("/v1/plan").WithJsonPath("$[?(@.purpose == 'serve' && @.attempt == 1)]")),
            await Count(RequestPattern.For("/v2/plan").WithJsonPath("$[?(@.purpose == 'serve' && @.attempt == 1)]")),
            await Count(RequestPattern.For("/v1/plan")),
            await Count(RequestPattern.For("/v2/plan")),
            await Count(RequestPattern.Any.WithJsonPath("$[?(@.purpose == 'compare')]")),
            (await _server.Admin.GetUnmatchedRequestsAsync()).Count);
    }

    [OneTimeTearDown]
    public void StopServer() => _server.Dispose();

    private Task<int> Count(RequestPattern pattern) => _server.Admin.CountRequestsAsync(pattern);

    /// <summary>
    /// The engine budget when nothing is slow by design: roomy, so a loaded machine never makes a healthy call miss it. A miss
    /// is retried (never recorded) but leaves an extra call in the journal (a v1 fallback the client did not count) or, after
    /// <see cref="WireMockEngineOptions.MismatchRetries"/> misses in a row, stops the run. Only a failure guard: calls take ms.
    /// </summary>
    private static readonly TimeSpan RoomyBudget = TimeSpan.FromMilliseconds(2000);

    /// <summary>
    /// The budget when timeouts are injected (the directed-timeout stub answers after 3 s): short enough that each timed-out
    /// run stays cheap, long enough that a healthy call on a loaded machine does not miss it three times in a row.
    /// </summary>
    private static readonly TimeSpan TimeoutFaultBudget = TimeSpan.FromMilliseconds(500);

    private SimulationResult Simulate(string yaml, int seed, SimulationEngines engines = SimulationEngines.WireMock, params string[] inject)
    {
        var result = new RolloutSimulator(PlanLoader.Parse(yaml, "wiremock-test.yaml").Plan, new SimulationOptions
        {
            Seed = seed,
            Engines = engines,
            Injections = FaultInjectionParser.ParseAll(inject, Start),
            WireMock = new WireMockEngineOptions
            {
                Server = _server,
                EngineTimeout = inject.Any(f => f.Contains("timeouts", StringComparison.Ordinal)) ? TimeoutFaultBudget : RoomyBudget,
                WarmupCalls = 10,
            },
        }).Run();
        if (result.WireMock is { } http)
        {
            TestContext.Out.WriteLine($"seed {seed}: {http.Requests} requests over HTTP, {http.Retries} retried (a healthy answer slower than the budget)");
        }
        return result;
    }

    private static long RouteCount(SimulationResult r, string reason) =>
        r.Audit.Where(e => e.Type == RouteEventJson.EventType)
            .Select(e => System.Text.Json.JsonDocument.Parse(e.Data).RootElement)
            .Where(d => d.GetProperty("reason").GetString() == reason)
            .Sum(d => d.GetProperty("count").GetInt64());

    private static List<(string V1, string V2, bool Changed, long Count)> Diffs(SimulationResult r) =>
        r.Audit.Where(e => e.Type == "decision_diff")
            .Select(e => System.Text.Json.JsonDocument.Parse(e.Data).RootElement)
            .Select(d => (d.GetProperty("agent_v1").GetString()!, d.GetProperty("agent_v2").GetString()!, d.GetProperty("agent_changed").GetBoolean(), d.GetProperty("count").GetInt64()))
            .ToList();

    [Test]
    public void The_engines_are_called_over_http_and_the_journal_matches_the_simulated_traffic()
    {
        var r = _first;
        var http = r.WireMock!;
        var shadowed = RouteCount(r, "shadow");
        var diffs = Diffs(r);
        Assert.Multiple(() =>
        {
            Assert.That(r.Report.Engines, Is.EqualTo("wiremock"));
            Assert.That(r.Requests, Is.EqualTo(1200));
            Assert.That(shadowed, Is.InRange(200, 1000), "at least the 4 h minimum hold of 24 h in shadow");
            Assert.That(r.V2Served, Is.GreaterThan(200), "30 % of the last 20 h");
            // every served request reached v1 unless v2 answered it; v2 got every shadow run and every canary attempt
            Assert.That(_journal.V1Serve, Is.EqualTo(r.Requests - r.V2Served));
            Assert.That(_journal.V2Serve, Is.EqualTo(shadowed + r.V2Served + r.Report.Fallbacks));
            Assert.That(_journal.V1All, Is.EqualTo(http.V1Calls));
            Assert.That(_journal.V2All, Is.EqualTo(http.V2Calls));
            Assert.That(_journal.Compare, Is.EqualTo(http.ComparisonCalls).And.GreaterThan(0), "canary diff samples ask the other engine");
            Assert.That(_journal.Unmatched, Is.Zero, "every call matched a stub");
            Assert.That(http.Requests, Is.EqualTo(r.Requests));
            // the real DecisionDiff of the stubs' answers: v2 plans for the next agent on about 20 % of diffs
            var compared = diffs.Sum(d => d.Count);
            var changed = diffs.Where(d => d.Changed).Sum(d => d.Count);
            Assert.That(compared, Is.GreaterThan(shadowed).And.LessThan(shadowed + 200), "every shadow run plus 10 % of canary requests");
            Assert.That((double)changed / compared, Is.InRange(0.1, 0.3));
            Assert.That(diffs.Where(d => d.Changed).Select(d => (d.V1, d.V2)).Distinct(),
                Is.SubsetOf(new[] { ("guest", "bar_manager"), ("bar_manager", "admin"), ("admin", "guest") }));
            Assert.That(diffs.Where(d => !d.Changed).Select(d => d.V1 == d.V2), Is.All.True);
        });
    }

    // The equality with in-process engines holds by construction: the simulator tells the stubs which
    // outcome and which divergence to answer with, and retries a call whose outcome disagrees. The test
    // below gives the stubs a mind of their own, to show this comparison does fail when they diverge.
    [Test]
    public void Same_seed_gives_byte_identical_outputs_and_in_process_equality_holds_by_construction()
    {
        var again = Simulate(Plan, seed: 42);
        var inProcess = Simulate(Plan, seed: 42, SimulationEngines.InProcess);
        Assert.Multiple(() =>
        {
            Assert.That(again.Evidence.ToMarkdown(), Is.EqualTo(_first.Evidence.ToMarkdown()));
            Assert.That(again.Evidence.ToJson(), Is.EqualTo(_first.Evidence.ToJson()));
            Assert.That(again.AuditJsonl(), Is.EqualTo(_first.AuditJsonl()));
            Assert.That(SimulationReportWriter.Render(again.Report), Is.EqualTo(SimulationReportWriter.Render(_first.Report)));
            // HTTP decides answers and failures, the seed decides which: nothing of the wall clock leaks in
            Assert.That(inProcess.Evidence.ToMarkdown(), Is.EqualTo(_first.Evidence.ToMarkdown()));
            Assert.That(inProcess.AuditJsonl(), Is.EqualTo(_first.AuditJsonl()));
            Assert.That(inProcess.WireMock, Is.Null);
        });
    }

    [Test]
    public void A_v2_stub_that_answers_on_its_own_diverges_from_in_process_and_the_comparison_fails()
    {
        // v2's stub plans its own agent for every simulated request instead of the one the simulator asks for (the body's
        // "simulation" is not null: the fixtures' idiom, a non-empty value or an empty text)
        var fixtures = CopyFixtures();
        try
        {
            File.WriteAllText(Path.Combine(fixtures, "simulation", "planner-v2-diverges.json"), """
                [{"Title":"v2 plans on its own","Priority":2,
                  "Request":{"Methods":["POST"],"Path":"/v2/plan","Body":{"MatchOperator":"Or","Matchers":[
                    {"Name":"JsonPartialMatcher","Pattern":{"simulation":"[\\s\\S]"},"Regex":true},
                    {"Name":"JsonPartialMatcher","Pattern":{"simulation":""}}]}},
                  "Response":{"StatusCode":200,"Headers":{"Content-Type":"application/json"},
                    "BodyAsJson":{"agent":"v2_own_agent","steps":["own.load"],"tools":["own_tool"],"dry_run":false}}}]
                """);
            var options = new SimulationOptions
            {
                Seed = 42,
                Engines = SimulationEngines.WireMock,
                WireMock = new WireMockEngineOptions { Server = _server, FixturesDirectory = fixtures, EngineTimeout = RoomyBudget, WarmupCalls = 10 },
            };
            var diverged = new RolloutSimulator(PlanLoader.Parse(Plan, "wiremock-test.yaml").Plan, options).Run();
            var inProcess = Simulate(Plan, seed: 42, SimulationEngines.InProcess);
            var changed = Diffs(diverged).Where(d => d.Changed).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(changed.Select(d => d.V2).Distinct(), Is.EqualTo(new[] { "v2_own_agent" }), "every disagreement is the stub's own plan");
                Assert.That(changed.Sum(d => d.Count), Is.EqualTo(Diffs(diverged).Sum(d => d.Count)), "v2 now disagrees on every compared request");
                Assert.That(diverged.AuditJsonl(), Is.Not.EqualTo(inProcess.AuditJsonl()), "the outputs differ from in-process once a stub answers on its own");
            });
        }
        finally
        {
            Directory.Delete(fixtures, recursive: true);
        }
    }

    [Test]
    public async Task A_v2_error_burst_over_http_falls_back_to_v1_and_rolls_back_like_in_process()
    {
        const string burst = "v2.errors=40% at 12h for 2h";
        var r = Simulate(Plan, seed: 7, inject: burst);
        var http500 = await Count(RequestPattern.For("/v2/plan").WithJsonPath("$[?(@.purpose == 'serve' && @.attempt == 1 && @.simulation.v2 == 'http-500')]"));
        var inProcess = Simulate(Plan, seed: 7, SimulationEngines.InProcess, burst);
        var i = r.Injections.Single();
        Assert.Multiple(() =>
        {
            Assert.That(r.Report.Fallbacks, Is.GreaterThan(0));
            Assert.That(http500, Is.EqualTo(r.Report.Fallbacks), "each fallback is a real HTTP 500 from v2 (the only failures in this plan)");
            Assert.That(r.Outcome, Is.EqualTo(SimulationOutcome.RolledBack));
            Assert.That(i.FirstBreachChecks, Does.Contain("fallback_rate"));
            Assert.That(i.RollbackAt, Is.GreaterThanOrEqualTo(Start.AddHours(12)));
            Assert.That(i.TimeToRollback, Is.LessThanOrEqualTo(TimeSpan.FromHours(1)));
            Assert.That(r.SettingsHistory.Last().After.KillSwitch, Is.True);
            Assert.That(r.SettingsHistory.Last().Actor, Is.EqualTo("auto"));
            Assert.That(r.Evidence.ToMarkdown(), Is.EqualTo(inProcess.Evidence.ToMarkdown()));
            Assert.That(r.AuditJsonl(), Is.EqualTo(inProcess.AuditJsonl()));
        });
    }

    [Test]
    public async Task Timeouts_and_wrong_shaped_answers_are_real_http_failures_classified_by_the_executor()
    {
        // shadow all day; error-rate and latency triggers relaxed so the shadow keeps running through the faults
        var plan = Plan.Replace("requests: 1200", "requests: 600").Replace("min_hold: 4h", "min_hold: 2d")
                   + "\nrollback_triggers:\n  - { check: error_rate, threshold: 0.9 }\n  - { check: latency, threshold: 100000 }\n";
        string[] faults = ["v2.timeouts=10% at 2h for 4h", "fallbacks=15% at 8h for 4h", "v1.errors=5% at 14h for 4h"];
        var r = Simulate(plan, seed: 11, SimulationEngines.WireMock, faults);
        Task<int> Directive(string engine, string directive) => Count(RequestPattern.For($"/{engine}/plan")
            .WithJsonPath($"$[?(@.purpose == 'serve' && @.attempt == 1 && @.simulation.{engine} == '{directive}')]"));
        var timeouts = await Directive("v2", "timeout");
        var wrongShape = await Directive("v2", "wrong-shape");
        var v1Errors = await Directive("v1", "http-500");
        var inProcess = Simulate(plan, seed: 11, SimulationEngines.InProcess, faults);
        Assert.Multiple(() =>
        {
            Assert.That(r.Outcome, Is.Not.EqualTo(SimulationOutcome.RolledBack));
            Assert.That(timeouts, Is.GreaterThan(0), "v2 shadow runs answered after 3 s, beyond the 500 ms budget");
            Assert.That(wrongShape, Is.GreaterThan(0), "v2 answered {\"result\":\"ok\"}");
            Assert.That(v1Errors, Is.GreaterThan(0), "v1 answered HTTP 500");
            // the run finished, so the executor classified each as the seed wanted (timeout, invalid_output, exception)
            Assert.That(r.Evidence.ToMarkdown(), Is.EqualTo(inProcess.Evidence.ToMarkdown()));
            Assert.That(r.AuditJsonl(), Is.EqualTo(inProcess.AuditJsonl()));
        });
    }

    [Test]
    public void An_http_outcome_that_disagrees_with_the_seed_stops_the_run_naming_the_request()
    {
        // the stubs without the directed faults: v2 answers where the seed wants an HTTP 500
        var fixtures = CopyFixtures();
        try
        {
            File.WriteAllText(Path.Combine(fixtures, "faults", "planner-directed-faults.json"),
                """[{"Priority":5,"Request":{"Methods":["GET"],"Path":"/unused"},"Response":{"StatusCode":204}}]""");
            var plan = PlanLoader.Parse(Plan.Replace("v2: { error_rate: 0,", "v2: { error_rate: 0.5,"), "wiremock-test.yaml").Plan;
            var options = new SimulationOptions
            {
                Engines = SimulationEngines.WireMock,
                // roomy: the mismatch named below must be the seeded HTTP 500 the stubs no longer give, not a healthy call a
                // loaded machine made miss the default 250 ms budget twice
                WireMock = new WireMockEngineOptions { Server = _server, FixturesDirectory = fixtures, MismatchRetries = 1, WarmupCalls = 0, EngineTimeout = RoomyBudget },
            };
            var e = Assert.Throws<SimulationEngineException>(() => new RolloutSimulator(plan, options).Run())!;
            Assert.That(e.Message, Does.Match(@"simulated request \d+ \(serve, agent '\w+', routed to v1 with a v2 shadow, reason shadow\): v2 \(shadow\) was to fail with an error \(HTTP 500 → 'exception'\), but it answered, on each of 2 attempts"));

            var echo = Path.Combine(fixtures, "simulation", "planner-echo.json");
            File.WriteAllText(echo, File.ReadAllText(echo).Replace("\"StatusCode\"", "\"StatusCod\"", StringComparison.Ordinal));
            var refused = Assert.Throws<WireMockSetupException>(() => new RolloutSimulator(plan, options).Run())!;
            Assert.That(refused.Message, Does.Contain($"a stub file is refused: {echo}: line ").And.Contain("Response.StatusCod: unknown field 'StatusCod' (did you mean 'StatusCode'?)"));

            File.Delete(echo);
            var missing = Assert.Throws<WireMockSetupException>(() => new RolloutSimulator(plan, options).Run())!;
            Assert.That(missing.Message, Does.Contain(echo));
        }
        finally
        {
            Directory.Delete(fixtures, recursive: true);
        }
    }

    // The simulator's mapping files, copied to a temporary folder a test may change.
    private static string CopyFixtures()
    {
        var fixtures = Directory.CreateTempSubdirectory("canarysim-wiremock-fixtures-").FullName;
        var source = RepoPaths.Fixture("wiremock");
        foreach (var file in WireMockEnginesFiles)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(fixtures, file))!);
            File.Copy(Path.Combine(source, file), Path.Combine(fixtures, file));
        }
        return fixtures;
    }

    private static readonly string[] WireMockEnginesFiles =
    [
        "planner-v1.json",
        "planner-v2.json",
        Path.Combine("simulation", "planner-echo.json"),
        Path.Combine("simulation", "planner-v2-diverges.json"),
        Path.Combine("faults", "planner-directed-faults.json"),
    ];
}
