using System.Globalization;
using System.Text.Json.Nodes;
using CanarySim.Core.Detection;
using CanarySim.Core.Reporting;
using CanarySim.Features.Runtime;
using CanarySim.Harness.Fakes;
using CanarySim.Harness.Scenarios;
using CanarySim.Harness.Simulation;
using Reqnroll;

namespace CanarySim.Features.Steps;

/// <summary>
/// Steps for the seeds' declared gates: application metrics on the played runs (LLM calls, <c>[V2-ANOMALY]</c>
/// lines, idempotency hits, any metric by name), the agents the runs come from, a policy written as a table of
/// checks (loaded through the real policy loader and its JSON Schema), and what each check of the real
/// detector's last verdict said.
/// </summary>
[Binding]
public sealed class SeedGateSteps(ControlPlane plane, ScenarioWorld rehearsal, GuardLog log, SweepRecord plans)
{
    private SimulationResult? _simulation;

    private readonly JsonArray _checks = [];
    private JsonNode? _window;
    private string _source = "";

    /// <summary>Makes the played runs of both engines come from these agents, in turn (tag <c>agent</c>).</summary>
    [Given(@"^the runs come from the agents? (""[^""]+""(?:,? (?:and )?""[^""]+"")*)$")]
    public void Agents(string agents)
    {
        var names = Quoted(agents);
        rehearsal.Timeline.V1 = rehearsal.Timeline.V1 with { Agents = names };
        rehearsal.Timeline.V2 = rehearsal.Timeline.V2 with { Agents = names };
    }

    /// <summary>Makes an engine call the LLM (metric <c>llm_call</c>) on an exact share of its runs, of one agent or of every agent; the other runs report <c>llm_call</c> = 0.</summary>
    [Given(@"^(v1|v2) calls the LLM on (\d+(?:\.\d+)?)% of (?:(?<agent>[A-Z][A-Z0-9_]*) |(?<agent>))runs$")]
    [When(@"^(v1|v2) starts calling the LLM on (\d+(?:\.\d+)?)% of (?:(?<agent>[A-Z][A-Z0-9_]*) |(?<agent>))runs$")]
    public void LlmCalls(string engine, double pct, string agent) => Mark(engine, "llm_call", 1, pct / 100, agent);

    /// <summary>Makes an engine log a <c>[V2-ANOMALY]</c> line (metric <c>anomaly</c>) on an exact share of its runs.</summary>
    [Given(@"^(v1|v2) logs a \[V2-ANOMALY\] line on (\d+(?:\.\d+)?)% of (?:(?<agent>[A-Z][A-Z0-9_]*) |(?<agent>))runs$")]
    [When(@"^(v1|v2) starts logging a \[V2-ANOMALY\] line on (\d+(?:\.\d+)?)% of (?:(?<agent>[A-Z][A-Z0-9_]*) |(?<agent>))runs$")]
    public void Anomalies(string engine, double pct, string agent) => Mark(engine, "anomaly", 1, pct / 100, agent);

    /// <summary>Makes an engine's runs report <c>anomaly</c> = 0: no <c>[V2-ANOMALY]</c> line (a check on a metric no run reports has no data).</summary>
    [Given(@"^(v1|v2) logs no \[V2-ANOMALY\] line$")]
    public void NoAnomalies(string engine) => Mark(engine, "anomaly", 1, 0, "");

    /// <summary>Records one v2 run, now, that logged a <c>[V2-ANOMALY]</c> line.</summary>
    [When(@"^a v2 run logs a \[V2-ANOMALY\] line$")]
    public void OneAnomaly()
    {
        var shape = rehearsal.Timeline.V2;
        rehearsal.FakeMetrics.Add(new Sample
        {
            Engine = Core.Routing.Engine.V2,
            At = rehearsal.Time.GetUtcNow(),
            Quality = shape.Quality,
            LatencyMs = shape.LatencyMs,
            CostCents = shape.CostCents,
            Agent = shape.AgentAt(0),
            Metrics = new Dictionary<string, double>(shape.MetricsAt(0) ?? new Dictionary<string, double>(), StringComparer.Ordinal) { ["anomaly"] = 1 },
        });
    }

    /// <summary>Makes an engine hit an idempotency key (metric <c>idempotency_hit</c>) on an exact share of its runs.</summary>
    [Given(@"^(v1|v2) hits an idempotency key on (\d+(?:\.\d+)?)% of (?:(?<agent>[A-Z][A-Z0-9_]*) |(?<agent>))runs$")]
    public void IdempotencyHits(string engine, double pct, string agent) => Mark(engine, "idempotency_hit", 1, pct / 100, agent);

    /// <summary>Makes an engine's runs report a bool metric by name as true on an exact share of its runs (of one agent, or every agent) and false on the others.</summary>
    [Given(@"^(v1|v2) reports ""([a-z_][a-z0-9_]*)"" on (\d+(?:\.\d+)?)% of (?:(?<agent>[A-Z][A-Z0-9_]*) |(?<agent>))runs$")]
    [When(@"^(v1|v2) starts reporting ""([a-z_][a-z0-9_]*)"" on (\d+(?:\.\d+)?)% of (?:(?<agent>[A-Z][A-Z0-9_]*) |(?<agent>))runs$")]
    public void ReportsShare(string engine, string metric, double pct, string agent) => Mark(engine, metric, 1, pct / 100, agent);

    /// <summary>Makes every run of an engine (of one agent, or every agent) report a number for a metric, e.g. <c>"staff_response_ms" = 1500</c>; <c>tokens</c> sets the sample's tokens.</summary>
    [Given(@"^(v1|v2) reports ""([a-z_][a-z0-9_]*)"" = (-?\d+(?:\.\d+)?) on every (?:(?<agent>[A-Z][A-Z0-9_]*) |(?<agent>))run$")]
    [When(@"^(v1|v2) starts reporting ""([a-z_][a-z0-9_]*)"" = (-?\d+(?:\.\d+)?) on every (?:(?<agent>[A-Z][A-Z0-9_]*) |(?<agent>))run$")]
    public void ReportsValue(string engine, string metric, double value, string agent) => Mark(engine, metric, value, 1, agent);

    /// <summary>Makes an exact share of an engine's runs report a number for a metric (the others report 0), e.g. <c>"tokens" = 4500 on 1% of runs</c>.</summary>
    [Given(@"^(v1|v2) reports ""([a-z_][a-z0-9_]*)"" = (-?\d+(?:\.\d+)?) on (\d+(?:\.\d+)?)% of runs$")]
    [When(@"^(v1|v2) starts reporting ""([a-z_][a-z0-9_]*)"" = (-?\d+(?:\.\d+)?) on (\d+(?:\.\d+)?)% of runs$")]
    public void ReportsValueOnShare(string engine, string metric, double value, double pct) => Mark(engine, metric, value, pct / 100, "");

    /// <summary>
    /// Sets application metrics of the played runs, one row per metric and engine. Columns: <c>engine</c>
    /// (<c>v1</c>, <c>v2</c> or <c>both</c>), <c>metric</c>; <c>share</c> (a bool metric true on that exact share
    /// of the runs, e.g. <c>80%</c>) and/or <c>value</c> (the number the runs report, default 1); optional
    /// <c>agent</c> (only that agent's runs). A later row for the same metric, engine and agent wins.
    /// </summary>
    [Given(@"^the runs report:$")]
    [When(@"^the runs start reporting:$")]
    public void RunsReport(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        foreach (var row in table.Rows)
        {
            var engine = row.Get<string>("engine").Trim();
            if (engine is not ("v1" or "v2" or "both"))
            {
                throw new FormatException($"{table.Where(row)}: column 'engine': expected v1, v2 or both but got \"{engine}\"");
            }
            var metric = row.Get<string>("metric").Trim();
            var share = row.Has("share") ? row.Get<double>("share") / 100 : 1;
            var value = row.Has("value") ? row.Get<double>("value") : 1;
            var agent = row.Has("agent") ? row.Get<string>("agent").Trim() : "";
            foreach (var e in engine == "both" ? new[] { "v1", "v2" } : [engine])
            {
                Mark(e, metric, value, share, agent);
            }
        }
    }

    /// <summary>Makes an exact share of v2's runs fall back to v1 (v2's answer unusable; metric <c>fallback</c>).</summary>
    [Given(@"^v2 falls back to v1 on (\d+(?:\.\d+)?)% of its runs$")]
    [When(@"^v2 starts falling back to v1 on (\d+(?:\.\d+)?)% of its runs$")]
    public void Fallbacks(double pct) => rehearsal.Timeline.V2 = rehearsal.Timeline.V2 with { FallbackRate = pct / 100 };

    /// <summary>
    /// Adds checks of policy <c>canarysim.policy/v2</c>, one per row, and makes them the detector's policy (only
    /// the checks written in this scenario's tables). Columns are the policy's check fields: <c>name</c>,
    /// <c>metric</c>, <c>aggregate</c>, <c>max</c> and/or <c>min</c> (<c>25%</c> is 0.25), <c>action</c>; optional
    /// <c>compare</c>, <c>engine</c>, <c>where</c> (<c>agent=SICK_CALLER</c>), <c>window</c> (<c>15 min</c> or
    /// <c>20 runs</c>), <c>sustain</c> (<c>5 min</c>), <c>min_samples</c>, <c>reason</c>, <c>if_no_baseline</c>,
    /// the per-check limits. The real policy loader validates it: a bad table fails naming the check and the field.
    /// </summary>
    [Given(@"^the policy checks?:$")]
    public void PolicyChecks(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        foreach (var row in table.Rows)
        {
            var check = new JsonObject();
            foreach (var (column, cell) in row)
            {
                if (cell.Trim().Length == 0)
                {
                    continue;
                }
                var field = column.Trim().ToLowerInvariant().Replace(' ', '_').Replace('-', '_');
                check[field] = Field(field, cell.Trim(), table.Where(row));
            }
            _checks.Add(check);
        }
        if (_source.Length == 0)
        {
            _source = table.Rows.Count > 0 ? table.Where(table.Rows[0]) : "the policy table";
        }
        LoadPolicy();
    }

    /// <summary>Sets the window of the policy written as a table (default: the last 100 runs), e.g. <c>15 min</c> or <c>20 runs</c>.</summary>
    [Given(@"^the policy window is (.+)$")]
    public void PolicyWindow(string window)
    {
        _window = Window(window);
        if (_checks.Count > 0)
        {
            LoadPolicy();
        }
    }

    /// <summary>Checks that a check breached in the last verdict with this value (<c>30%</c> is 0.30; compared to 6 decimals).</summary>
    [Then(@"^the check ""([a-z0-9_]+)"" breached with (-?\d+(?:\.\d+)?)(%?)$")]
    public void BreachedWith(string check, double value, string percent)
    {
        var expected = percent.Length > 0 ? value / 100 : value;
        var breach = Breach(check);
        Assert.That(breach.Value, Is.EqualTo(expected).Within(1e-6), $"{check}: {breach.Reason}");
    }

    /// <summary>Checks that a check breached in the last verdict with this action (<c>rollback</c>, <c>reduce_traffic</c>, <c>pause</c>, <c>manual_review</c>, <c>hold</c>).</summary>
    [Then(@"^the check ""([a-z0-9_]+)"" breached with action ""(none|hold|manual_review|pause|reduce_traffic|rollback)""$")]
    public void BreachedWithAction(string check, string action) =>
        Assert.That(Core.WireName.Of(Breach(check).Action), Is.EqualTo(action), Breach(check).Reason);

    /// <summary>Checks that a check breached in the last verdict with this readable reason, word for word.</summary>
    [Then(@"^the check ""([a-z0-9_]+)"" breached with reason ""(.*)""$")]
    public void BreachedWithReason(string check, string reason) => Assert.That(Breach(check).Reason, Is.EqualTo(reason));

    /// <summary>Checks that a check did not breach in the last verdict (nor waits to be sustained).</summary>
    [Then(@"^the check ""([a-z0-9_]+)"" did not breach$")]
    public void DidNotBreach(string check)
    {
        var v = log.LastVerdict;
        Assert.That(v.Breaches.Select(b => b.Check).Concat(v.Pending.Select(b => b.Check)), Has.None.EqualTo(check),
            $"breaches: [{string.Join("; ", v.Breaches.Select(b => b.Reason))}]; pending: [{string.Join("; ", v.Pending.Select(b => b.Reason))}]");
    }

    /// <summary>
    /// Checks that a check judged on a confidence interval found its estimate beyond the bound but the interval
    /// reaching it in the last verdict: no breach, a "not shown" note.
    /// </summary>
    [Then(@"^the check ""([a-z0-9_]+)"" was not shown by the data$")]
    public void NotShown(string check)
    {
        var v = log.LastVerdict;
        Assert.Multiple(() =>
        {
            Assert.That(v.Notes, Has.Some.StartsWith(check + ": not shown at "), $"notes: [{string.Join("; ", v.Notes)}]");
            Assert.That(v.Breaches.Concat(v.Pending).Select(b => b.Check), Has.None.EqualTo(check));
        });
    }

    /// <summary>Checks that the last verdict could not judge a check for lack of data (a note names it); never a pass.</summary>
    [Then(@"^the check ""([a-z0-9_]+)"" had insufficient data$")]
    public void Insufficient(string check)
    {
        var v = log.LastVerdict;
        Assert.Multiple(() =>
        {
            Assert.That(v.Notes, Has.Some.StartsWith(check + ": insufficient data"), $"notes: [{string.Join("; ", v.Notes)}]");
            Assert.That(v.Breaches.Select(b => b.Check), Has.None.EqualTo(check));
        });
    }

    /// <summary>
    /// Simulates the plan given with <c>Given the plan "…"</c> to its end in virtual time (seed 42, its own policy file,
    /// metrics and <c>inject:</c> entries), with one more injection written as for <c>canarysim simulate --inject</c> when given.
    /// </summary>
    [When(@"^the seed plan runs in the simulator(?: with ""(?<inject>[^""]+)""|(?<inject>))$")]
    public void SeedPlanSimulated(string inject)
    {
        var (path, plan) = plans.Plan ?? throw new InvalidOperationException("no plan yet: add 'Given the plan \"fixtures/plans/conversation-v2-watch.yaml\"'");
        _simulation = new RolloutSimulator(plan, new SimulationOptions
        {
            Injections = inject.Length == 0 ? [] : [FaultInjectionParser.Parse(inject, plan.Start)],
            ArtifactBase = Path.GetDirectoryName(path) ?? ".",
            // scenarios run in parallel: a second draw thread per simulation would only spin against them
            ParallelDraws = false,
        }).Run();
    }

    /// <summary>Checks how the simulated seed plan ended: <c>completed</c>, <c>rolled_back</c> or <c>in_progress</c>.</summary>
    [Then(@"^the simulated rollout (completed|rolled_back|in_progress)$")]
    public void SimulationOutcome(string outcome) => Assert.That(Core.WireName.Of(Simulation.Outcome), Is.EqualTo(outcome), Simulation.Verdict);

    /// <summary>Checks which checks breached first after the injection, in any order. The run must have one injection: the plan's own or the one given.</summary>
    [Then(@"^the injection was first caught by ""([a-z0-9_]+)""$")]
    public void CaughtBy(string check) =>
        Assert.That(TheInjection().FirstBreachChecks, Does.Contain(check), Simulation.Verdict);

    /// <summary>Checks that the injection never made a check breach. The run must have one injection: the plan's own or the one given.</summary>
    [Then(@"^no check caught the injection$")]
    public void NotCaught() => Assert.That(TheInjection().FirstBreachAt, Is.Null, Simulation.Verdict);

    private InjectionOutcome TheInjection() => Simulation.Injections.Count == 1
        ? Simulation.Injections[0]
        : throw new InvalidOperationException($"the simulation had {Simulation.Injections.Count} injections (the plan's own inject: entries and the one given with 'with \"…\"'): "
            + "'the injection …' steps need exactly one; use a plan without inject: entries or do not add one");

    /// <summary>Checks that some window of the simulated evidence log quotes a text, e.g. an app log line <c>[V2-ANOMALY]</c> or <c>[STARTUP] Kill switch active: True</c>.</summary>
    [Then(@"^the evidence log quotes ""(.+)""$")]
    public void EvidenceQuotes(string text) =>
        Assert.That(Simulation.Evidence.Rows.Select(r => r.Notes), Has.Some.Contains(text), string.Join("\n", Simulation.Evidence.Rows.Select(r => r.Notes)));

    /// <summary>Checks that no window of the simulated evidence log quotes a text.</summary>
    [Then(@"^the evidence log never quotes ""(.+)""$")]
    public void EvidenceNeverQuotes(string text) => Assert.That(Simulation.Evidence.Rows.Select(r => r.Notes), Has.None.Contains(text));

    /// <summary>Checks how many windows of the simulated evidence log have a decision.</summary>
    [Then(@"^the evidence log has (\d+) (START_SHADOW_WINDOW|HOLD_SHADOW|READY_FOR_LIMITED_COHORT_PILOT|GO_BROADER_TRAFFIC_ACTIVE|BLOCKED_AUTH|BLOCKED_EXECUTION_PIPELINE|PARTIAL_TIMEOUT_RECOVERED) windows?$")]
    public void WindowsWith(int count, string decision) =>
        Assert.That(Simulation.Evidence.Rows.Count(r => r.Decision == decision), Is.EqualTo(count), string.Join(", ", Simulation.Evidence.Rows.Select(r => r.Decision)));

    private SimulationResult Simulation => _simulation ?? throw new InvalidOperationException("no simulation yet: add 'When the seed plan runs in the simulator'");

    private Breach Breach(string check)
    {
        var v = log.LastVerdict;
        var breach = v.Breaches.FirstOrDefault(b => b.Check == check);
        Assert.That(breach, Is.Not.Null,
            $"no \"{check}\" breach; verdict {Core.WireName.Of(v.Outcome)}/{Core.WireName.Of(v.Action)}, breaches: [{string.Join("; ", v.Breaches.Select(b => b.Reason))}], pending: [{string.Join("; ", v.Pending.Select(b => b.Reason))}], notes: [{string.Join("; ", v.Notes)}]");
        return breach!;
    }

    private void Mark(string engine, string metric, double value, double share, string agent)
    {
        if (SampleMetrics.Fixed.Contains(metric) && metric != "tokens")
        {
            throw new ArgumentException($"\"{metric}\" is a fixed field of every run; use its own step (e.g. 'v2 fails 8% of its runs', 'v2 answers in 900ms at p95')");
        }
        var shape = new MetricShape(metric, value, share, agent.Length == 0 ? null : agent);
        var timeline = rehearsal.Timeline;
        if (shape.Agent is { } a)
        {
            // the agent must come up in the runs of both engines
            foreach (var isV1 in new[] { true, false })
            {
                var s = isV1 ? timeline.V1 : timeline.V2;
                if (!s.Agents.Contains(a))
                {
                    s = s with { Agents = [.. s.Agents.DefaultIfEmpty("OTHER"), a] };
                }
                if (isV1) { timeline.V1 = s; } else { timeline.V2 = s; }
            }
        }
        if (engine == "v1")
        {
            timeline.V1 = timeline.V1 with { Metrics = [.. timeline.V1.Metrics, shape] };
        }
        else
        {
            timeline.V2 = timeline.V2 with { Metrics = [.. timeline.V2.Metrics, shape] };
        }
    }

    private void LoadPolicy()
    {
        var policy = new JsonObject
        {
            ["schema"] = "canarysim.policy/v2",
            ["window"] = _window?.DeepClone() ?? new JsonObject { ["runs"] = 100 },
            ["min_samples"] = plane.Policy.MinSamples,
            ["checks"] = _checks.DeepClone(),
        };
        plane.Policy = PolicyLoader.Parse(policy.ToJsonString(), _source);
    }

    private static JsonNode Field(string field, string cell, string where)
    {
        try
        {
            return field switch
            {
                "max" or "min" or "baseline" => JsonValue.Create(Number(cell)),
                "min_samples" or "failure_limit" or "inconclusive_limit" or "consecutive_error_limit" => JsonValue.Create(int.Parse(cell, CultureInfo.InvariantCulture)),
                "sustain" => JsonValue.Create(PolicyDuration(StepText.ParseDuration(cell))),
                "window" => Window(cell),
                "where" => Where(cell),
                _ => JsonValue.Create(cell),
            };
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{where}: column '{field}': {ex.Message}", ex);
        }
    }

    private static double Number(string cell) =>
        cell.EndsWith('%') ? double.Parse(cell[..^1], CultureInfo.InvariantCulture) / 100 : double.Parse(cell, CultureInfo.InvariantCulture);

    private static JsonObject Window(string text)
    {
        var t = text.Trim();
        if (t.EndsWith(" runs", StringComparison.Ordinal) || t.EndsWith(" run", StringComparison.Ordinal))
        {
            return new JsonObject { ["runs"] = int.Parse(t[..t.LastIndexOf(' ')], CultureInfo.InvariantCulture) };
        }
        return new JsonObject { ["duration"] = PolicyDuration(StepText.ParseDuration(t)) };
    }

    private static JsonObject Where(string cell)
    {
        var where = new JsonObject();
        foreach (var pair in cell.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"expected tag=value pairs such as agent=SICK_CALLER but got \"{cell}\"");
            }
            where[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }
        return where;
    }

    private static string PolicyDuration(TimeSpan d) =>
        d.TotalSeconds == Math.Floor(d.TotalSeconds)
            ? ((long)d.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"
            : ((long)d.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";

    private static List<string> Quoted(string text) =>
        text.Split('"', StringSplitOptions.RemoveEmptyEntries).Select(c => c.Trim(' ', ',')).Where(c => c.Length > 0 && c != "and").ToList();
}
