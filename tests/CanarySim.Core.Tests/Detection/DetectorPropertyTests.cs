using FsCheck;
using FsCheck.Fluent;

namespace CanarySim.Core.Tests.Detection;

public sealed class DetectorPropertyTests
{
    private static readonly DetectorOptions Options = new() { WindowRuns = 10_000, ProjectedCostCents = 1.0 };

    /// <summary>
    /// Adding a v2 sample at least as good as every v2 sample on every metric (latency, quality, cost,
    /// and no error, fallback, violation or complaint) never turns a pass into a fail. The windows are
    /// built to pass (see <see cref="PassingWindow"/>); a window that does not pass is discarded, and
    /// more than 15 discards exhaust the run, which fails it: at least 150 passing windows are always
    /// exercised. The run prints how many windows carried errors, fallbacks and complaints.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 150, MaxFail = 15)]
    public Property Adding_a_better_v2_sample_never_turns_pass_into_fail() =>
        Prop.ForAll(
            (from window in PassingWindow from shave in Gen.Choose(0, 200) from lift in Gen.Choose(0, 3) select (window, shave, lift)).ToArbitrary(),
            c =>
            {
                var v2 = c.window;
                var before = Evaluate(v2);
                var better = new Sample
                {
                    Engine = Engine.V2,
                    At = TestClock.Epoch,
                    LatencyMs = Math.Max(0, v2.Min(s => s.LatencyMs) - c.shave),
                    Quality = Math.Min(100, v2.Max(s => s.Quality) + c.lift),
                    CostCents = v2.Min(s => s.CostCents),
                };
                return Prop.When(before.Outcome == VerdictOutcome.Pass, () =>
                    {
                        var after = Evaluate([.. v2, better]);
                        return (after.Outcome != VerdictOutcome.Fail && after.Action <= before.Action)
                            .Label($"{v2.Count} runs, v2 mean quality {v2.Average(s => s.Quality):F2}: {before.Outcome}/{before.Action} became {after.Outcome}/{after.Action} ({string.Join("; ", after.Breaches.Select(b => b.Reason))})");
                    })
                    .Classify(v2.Any(s => s.Error), "with errors")
                    .Classify(v2.Any(s => s.Fallback), "with fallbacks")
                    .Classify(v2.Any(s => s.Complaint), "with complaints")
                    .Classify(v2.Average(s => s.Quality) > 94, "v2 mean quality above 94");
            });

    /// <summary>
    /// 30 to 150 v2 runs that pass the default policy by construction, against 100 v1 runs of quality 90
    /// and cost 1c: every latency at most 1 600 ms (the p95 limit, which is not itself a breach), every
    /// quality at least 86 (a drop of at most 4 points), every cost at most 3c (the cost limit and three
    /// times the projected 1c), errors on at most 5 % of runs, at most one fallback in any 10 consecutive
    /// runs, at most 10 complaints, no policy violation. Quality ranges vary per window, some close to 100.
    /// </summary>
    private static Gen<List<Sample>> PassingWindow { get; } =
        from n in Gen.Choose(30, 150)
        from qualityLow in Gen.Choose(86, 99)
        from qualityHigh in Gen.Choose(qualityLow, 100)
        from latencies in Gen.Choose(50, 1_600).ArrayOf(n)
        from qualities in Gen.Choose(qualityLow, qualityHigh).ArrayOf(n)
        from costs in Gen.Choose(10, 300).ArrayOf(n)
        from errors in Gen.Choose(0, n / 20)
        from fallbackEvery in Gen.Elements(0, 10, 17)
        from complaints in Gen.Choose(0, 10)
        select Enumerable.Range(0, n).Select(i => new Sample
        {
            Engine = Engine.V2,
            At = TestClock.Epoch,
            LatencyMs = latencies[i],
            Quality = qualities[i],
            CostCents = costs[i] / 100.0,
            Error = i < errors,
            Fallback = fallbackEvery > 0 && i % fallbackEvery == fallbackEvery - 1,
            Complaint = i >= n - complaints,
        }).ToList();

    private static Verdict Evaluate(IEnumerable<Sample> v2)
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        store.AddRange(Samples.Many(100, Engine.V1, clock.GetUtcNow(), (i, s) => s with { Quality = 90, CostCents = 1 }));
        store.AddRange(v2);
        return new RegressionDetector(store, Options, clock).Evaluate();
    }
}
