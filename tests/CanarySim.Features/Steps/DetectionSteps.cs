using CanarySim.Core;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using CanarySim.Harness.Fakes;

namespace CanarySim.Features.Steps;

/// <summary>Steps that fill the fake metrics store with exact numbers and run the real regression detector (through the guard, which also rolls back).</summary>
[Binding]
public sealed class DetectionSteps(ControlPlane plane, ScenarioWorld rehearsal, GuardLog log)
{
    /// <summary>
    /// Fills the fake metrics store with identical runs per engine, so every aggregate equals the
    /// number given (mean quality, every latency percentile, mean cost). Columns: <c>engine</c>,
    /// <c>quality</c>, <c>latency_ms</c>, <c>cost_cents</c>, <c>samples</c>; optional <c>error_rate</c>,
    /// <c>complaint_rate</c>, <c>fallback_rate</c> (percent).
    /// </summary>
    [Given(@"^the metrics store holds:$")]
    public void MetricsStoreHolds(Table table)
    {
        foreach (var row in table.Rows)
        {
            var engine = ParseEngine(row.Get<string>("engine"));
            var shape = new SampleShape
            {
                Quality = row.Get<double>("quality"),
                LatencyMs = row.Get<double>("latency_ms"),
                CostCents = row.Get<double>("cost_cents"),
                ErrorRate = Optional(row, "error_rate") / 100,
                ComplaintRate = Optional(row, "complaint_rate") / 100,
                FallbackRate = Optional(row, "fallback_rate") / 100,
            };
            rehearsal.FakeMetrics.Fill(engine, row.Get<int>("samples"), shape);
        }
    }

    /// <summary>Adds identical runs of one engine (one second apart, the last one now).</summary>
    [Given(@"^(\d+) (v1|v2) runs? with quality ([\d.]+), latency (\d+)ms and cost ([\d.]+) cents$")]
    [When(@"^(\d+) more (v1|v2) runs? with quality ([\d.]+), latency (\d+)ms and cost ([\d.]+) cents (?:arrive|arrives)$")]
    public void Runs(int count, string engine, double quality, double latencyMs, double costCents) =>
        rehearsal.FakeMetrics.Fill(ParseEngine(engine), count, new SampleShape { Quality = quality, LatencyMs = latencyMs, CostCents = costCents });

    /// <summary>Empties the fake metrics store (zero samples for both engines).</summary>
    [Given(@"^the metrics store holds no samples$")]
    public void NoSamples() => rehearsal.FakeMetrics.Clear();

    /// <summary>Sets the minimum number of v2 samples the detector needs before it judges anything but policy violations.</summary>
    [Given(@"^the detector needs at least (\d+) v2 samples$")]
    public void MinSamples(int min) => plane.Policy.MinSamples = min;

    /// <summary>Turns staged rollback on: each consecutive rollback verdict halves the percentage, the last step goes to 0 % (a policy violation always rolls back fully).</summary>
    [Given(@"^staged rollback is on$")]
    public void StagedRollbackOn() => plane.Policy.StagedRollback = true;

    /// <summary>Loads the detector policy from a JSON file (path from the repository root), e.g. <c>fixtures/policies/rollout-playbook.json</c>.</summary>
    [Given(@"^the detector policy from ""([^""]+)""$")]
    public void PolicyFrom(string path)
    {
        var file = Path.Combine(RepoPaths.Root(), path);
        plane.Policy = PolicyLoader.Parse(File.ReadAllText(file), file);
    }

    /// <summary>Runs one evaluation of the real detector and lets the real rollback controller act on it. An error (e.g. the settings store being down) is kept for the Then steps.</summary>
    [When(@"^the regression detector evaluates$")]
    public void Evaluate() => EvaluateTimes(1);

    /// <summary>Runs the detector (and rollback controller) several times in a row.</summary>
    [When(@"^the regression detector evaluates (\d+) times$")]
    public void EvaluateTimes(int times)
    {
        for (var i = 0; i < times; i++)
        {
            try
            {
                log.Outcomes.Add(plane.Guard.EvaluateAndAct());
                log.LastError = null;
            }
            catch (IOException e)
            {
                log.LastError = e;
            }
        }
    }

    /// <summary>Checks the last verdict's outcome: <c>pass</c>, <c>fail</c>, <c>inconclusive</c> or <c>insufficient_data</c>.</summary>
    [Then(@"^the verdict is ""(pass|fail|inconclusive|insufficient_data)""$")]
    public void VerdictIs(string outcome) =>
        Assert.That(WireName.Of(log.LastVerdict.Outcome), Is.EqualTo(outcome), Describe(log.LastVerdict));

    /// <summary>Checks the last verdict's outcome and action (<c>none</c>, <c>hold</c>, <c>manual_review</c>, <c>pause</c>, <c>reduce_traffic</c>, <c>rollback</c>).</summary>
    [Then(@"^the verdict is ""(pass|fail|inconclusive|insufficient_data)"" with action ""(none|hold|manual_review|pause|reduce_traffic|rollback)""$")]
    public void VerdictAndAction(string outcome, string action)
    {
        var v = log.LastVerdict;
        Assert.Multiple(() =>
        {
            Assert.That(WireName.Of(v.Outcome), Is.EqualTo(outcome), Describe(v));
            Assert.That(WireName.Of(v.Action), Is.EqualTo(action), Describe(v));
        });
    }

    /// <summary>Checks exactly which checks breached, in any order (e.g. <c>"quality", "latency"</c>).</summary>
    [Then(@"^the breaches are (""[a-z_]+""(?:,? (?:and )?""[a-z_]+"")*)$")]
    public void BreachesAre(string checks)
    {
        var expected = checks.Split('"', StringSplitOptions.RemoveEmptyEntries).Select(c => c.Trim(' ', ',')).Where(c => c.Length > 0 && c != "and").ToList();
        Assert.That(log.LastVerdict.Breaches.Select(b => b.Check), Is.EquivalentTo(expected), Describe(log.LastVerdict));
    }

    /// <summary>Checks that no check breached.</summary>
    [Then(@"^no check breached$")]
    public void NoBreach() => Assert.That(log.LastVerdict.Breaches, Is.Empty, Describe(log.LastVerdict));

    /// <summary>Checks the readable reason of one breach, word for word.</summary>
    [Then(@"^the ""([a-z_]+)"" breach reads ""(.*)""$")]
    public void BreachReads(string check, string reason)
    {
        var breach = log.LastVerdict.Breaches.FirstOrDefault(b => b.Check == check);
        Assert.That(breach, Is.Not.Null, $"no \"{check}\" breach. {Describe(log.LastVerdict)}");
        Assert.That(breach!.Reason, Is.EqualTo(reason));
    }

    /// <summary>Checks that a breach is still waiting to be sustained (the verdict holds).</summary>
    [Then(@"^""([a-z_]+)"" is breached but not yet sustained$")]
    public void Pending(string check) =>
        Assert.That(log.LastVerdict.Pending.Select(b => b.Check), Does.Contain(check), Describe(log.LastVerdict));

    /// <summary>Checks the sample counts the last verdict judged.</summary>
    [Then(@"^the verdict counted (\d+) v1 and (\d+) v2 samples$")]
    public void Counted(int v1, int v2)
    {
        Assert.That(log.LastVerdict.Samples.V1, Is.EqualTo(v1));
        Assert.That(log.LastVerdict.Samples.V2, Is.EqualTo(v2));
    }

    private static double Optional(DataTableRow row, string column) =>
        row.Has(column) ? row.Get<double>(column) : 0;

    private static Engine ParseEngine(string text) =>
        WireName.TryParseIgnoreCase<Engine>(text, out var e) ? e : throw new FormatException($"expected engine v1 or v2, got \"{text}\"");

    private static string Describe(Verdict v) =>
        $"verdict {WireName.Of(v.Outcome)}/{WireName.Of(v.Action)}; breaches: [{string.Join("; ", v.Breaches.Select(b => b.Reason))}]; pending: [{string.Join("; ", v.Pending.Select(b => b.Reason))}]; notes: [{string.Join("; ", v.Notes)}]";
}
