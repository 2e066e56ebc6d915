using System.Globalization;
using CanarySim.Core.Detection;
using CanarySim.Harness.Simulation;
using CanarySim.Harness.Sweeps;
using CanarySim.Reports.Sweeps;

namespace CanarySim.Features.Steps;

/// <summary>
/// Policy power analysis: the plan is run once per seed healthy and once per seed with a regression injected, each run
/// through the real router, detector and rollback controller (<see cref="SweepRunner"/>, the engine of <c>canarysim sweep</c>),
/// and the steps judge how often the policy catches the regression, how fast, and how often it cries wolf.
/// </summary>
[Binding]
public sealed class SweepSteps(SweepRecord record, ScenarioEvidence scenario)
{
    /// <summary>The rollout plan to sweep (a plan file, path from the repository root).</summary>
    [Given(@"^the plan ""([^""]+)""$")]
    public void Plan(string path)
    {
        var full = Path.Combine(RepoPaths.Root(), path);
        record.Plan = (full, PlanFile.Load(full).Plan);
    }

    /// <summary>
    /// Holds one stage of the plan for <paramref name="hold"/> instead of its file's <c>min_hold</c>; every way the plan then
    /// runs (simulated, rehearsed, live, swept) uses the changed plan. E.g. a live run's regression must arrive while the
    /// stage is served, however slow the machine: <c>And stage "canary-25" of the plan is held 10m</c>.
    /// </summary>
    [Given(@"^stage ""([^""]+)"" of the plan is held (.+)$")]
    public void Held(string stage, TimeSpan hold)
    {
        var (path, plan) = record.Plan ?? throw new InvalidOperationException("no plan: add 'Given the plan \"fixtures/plans/…\"' first");
        if (plan.Stages.All(s => s.Name != stage))
        {
            throw new InvalidOperationException($"the plan has no stage \"{stage}\"; its stages are {string.Join(", ", plan.Stages.Select(s => s.Name))}");
        }
        record.Plan = (path, plan with { Stages = plan.Stages.Select(s => s.Name == stage ? s with { MinHold = hold } : s).ToList() });
    }

    /// <summary>The detector policy to sweep (a policy JSON file, path from the repository root); without it the plan's rollback triggers are swept.</summary>
    [Given(@"^the policy ""([^""]+)""$")]
    public void Policy(string path)
    {
        var full = Path.Combine(RepoPaths.Root(), path);
        record.Policy = (full, PolicyLoader.Parse(File.ReadAllText(full), full));
    }

    /// <summary>
    /// Runs the plan for seeds 1…N healthy and with one injected regression, written as in <c>canarysim sweep --inject</c> with
    /// a space for the dot (<c>v2 latency +20%</c>, <c>v2 errors =5%</c>, <c>v2 quality -3</c>); it starts halfway through the
    /// plan unless the step says when (<c>at hour 6</c>, <c>at day 9</c>). The summary (Markdown) is attached to the report.
    /// </summary>
    [When(@"^it is swept over (\d+) seeds with (v1|v2) ([a-z_]+) ([+\-x*=]\s*[\d.]+\s*(?:%|ms|s|c|/h)?)(?: at (?<when>.+)|(?<when>))$")]
    public void Sweep(int seeds, string engine, string what, string amount, string? when)
    {
        var (_, plan) = record.Plan ?? throw new InvalidOperationException("no plan: add 'Given the plan \"fixtures/plans/…\"' first");
        var at = string.IsNullOrEmpty(when)
            ? ((long)(plan.Duration.TotalMinutes / 2)).ToString(CultureInfo.InvariantCulture) + "m"
            : when;
        Run(seeds, [$"{engine}.{what}{amount.Replace(" ", "", StringComparison.Ordinal)} at {at}"]);
    }

    /// <summary>
    /// Runs the plan for seeds 1…N healthy only (for a claim about false alarms alone: no injected run is spent). The summary
    /// (Markdown) is attached to the report.
    /// </summary>
    [When(@"^it is swept over (\d+) seeds with nothing injected$")]
    public void SweepHealthy(int seeds) => Run(seeds, []);

    private void Run(int seeds, string[] injections)
    {
        var (planPath, plan) = record.Plan ?? throw new InvalidOperationException("no plan: add 'Given the plan \"fixtures/plans/…\"' first");
        var range = SeedRange.Parse($"1-{seeds}");
        var scenarios = InjectionRange.Scenarios(injections, plan.Start);
        var outcome = new SweepRunner(plan, new SweepSettings
        {
            Seeds = range,
            Scenarios = scenarios,
            Policy = record.Policy?.Policy,
            ArtifactBase = Path.GetDirectoryName(planPath)!,
        }).Run();
        var identity = SweepIdentity.Of(planPath, plan, record.Policy?.Path, range, null, scenarios);
        record.Summary = SweepSummary.Build(identity, SweepShard.Whole, outcome.Runs, outcome.Planned, outcome.Partial);
        var evidence = ReportFiles.For("sweep", scenario.Scenario, ".md");
        ReportFiles.Write(evidence, SweepMarkdownWriter.Render(record.Summary));
        scenario.Attach("sweep summary", evidence);
    }

    /// <summary>Checks the share of injected runs whose guard or rollout rolled back, paused or reduced traffic within the given time of the injection (at least the given percentage).</summary>
    [Then(@"^it catches the regression in at least ([\d.]+)% of runs within (.+)$")]
    public void Catches(double percent, TimeSpan within)
    {
        var injected = record.Injected();
        var caught = injected.TimeToDetectionSeconds?.Values.Count(s => s <= within.TotalSeconds) ?? 0;
        Assert.That(100.0 * caught / injected.Runs, Is.GreaterThanOrEqualTo(percent),
            $"{injected.Name}: caught within {within} in {caught} of {injected.Runs} runs " +
            $"(detected at all in {injected.Detected}, by {Checks(injected.DetectedBy)}; time to detection median/p90/max {Times(injected)})\n{SweepMarkdownWriter.Render(record.Result())}");
    }

    /// <summary>Checks the share of healthy runs whose guard rolled back, paused or reduced traffic (at most, or more than, the given percentage).</summary>
    [Then(@"^it raises a false alarm in (at most|more than) ([\d.]+)% of healthy runs$")]
    public void FalseAlarms(string bound, double percent)
    {
        var healthy = record.Result().Healthy;
        var share = 100.0 * healthy.FalseAlarms / healthy.Runs;
        var why = $"{healthy.FalseAlarms} false alarms in {healthy.Runs} healthy runs ({share:0.#} %, 95 % CI {healthy.FalseAlarmCi95.Lower:P1}–{healthy.FalseAlarmCi95.Upper:P1}), raised by {Checks(healthy.FalseAlarmChecks)}";
        Assert.That(share, bound == "at most" ? Is.LessThanOrEqualTo(percent) : Is.GreaterThan(percent), why);
    }

    /// <summary>Checks which checks raised the healthy runs' false alarms (quoted, comma-separated; every one listed must have raised at least one).</summary>
    [Then(@"^the false alarms were raised by (""[^""]+""(?:, ""[^""]+"")*)$")]
    public void RaisedBy(string list)
    {
        var expected = list.Split(',').Select(s => s.Trim().Trim('"')).ToList();
        var checks = record.Result().Healthy.FalseAlarmChecks;
        Assert.That(checks.Keys, Is.SupersetOf(expected), $"false alarms raised by {Checks(checks)}");
    }

    private static string Times(SweepScenarioStats s) => s.TimeToDetectionSeconds is { } t
        ? $"{TimeSpan.FromSeconds(t.Median)}/{TimeSpan.FromSeconds(t.P90)}/{TimeSpan.FromSeconds(t.Max)}"
        : "never";

    private static string Checks(IReadOnlyDictionary<string, int> checks) =>
        checks.Count == 0 ? "no check" : string.Join(", ", checks.Select(c => $"{c.Key} ×{c.Value}"));
}
