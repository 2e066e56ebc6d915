namespace CanarySim.Core.Tests.Detection;

/// <summary>
/// "Sustained" means every evaluation over the duration breached: any evaluation that could not judge
/// the check (too few runs, no baseline, a failed source) ends the streak, as a clean one does.
/// </summary>
public sealed class SustainStreakTests
{
    private static readonly TimeSpan Sustain = TimeSpan.FromMinutes(5);
    private const string PendingFromScratch = ", for 0s of 5m needed)";

    /// <summary>Why the evaluation in the middle cannot judge the check.</summary>
    public enum Gap
    {
        PolicyMinSamples,
        CheckMinSamples,
        NoBaseline,
        IntervalNoBaseline,
    }

    private static Sample Run(Engine engine, DateTimeOffset at, double m) =>
        Samples.Healthy(engine, at) with { Metrics = new Dictionary<string, double> { ["m"] = m } };

    /// <summary>Runs of metric m: v1 never non-zero, v2 always (a rate of 1 against 0).</summary>
    private static void AddBreachingRuns(InMemoryMetricsStore store, DateTimeOffset at, int v1 = 30, int v2 = 30)
    {
        for (var i = 0; i < v1; i++)
        {
            store.Add(Run(Engine.V1, at, 0));
        }
        for (var i = 0; i < v2; i++)
        {
            store.Add(Run(Engine.V2, at, 1));
        }
    }

    private static (CheckDefinition Check, int PolicyMinSamples) Case(Gap gap)
    {
        var check = new CheckDefinition
        {
            Name = "c", Metric = "m", Aggregate = CheckAggregate.Rate, Max = 0.5, Sustain = Sustain, Action = VerdictAction.Rollback,
        };
        return gap switch
        {
            Gap.PolicyMinSamples => (check, 10),
            Gap.CheckMinSamples => (check with { MinSamples = 10 }, 1),
            Gap.NoBaseline => (check with { Compare = CheckCompare.Increase }, 1),
            _ => (check with { Compare = CheckCompare.Increase, Confidence = 0.95 }, 1),
        };
    }

    [TestCase(Gap.PolicyMinSamples)]
    [TestCase(Gap.CheckMinSamples)]
    [TestCase(Gap.NoBaseline)]
    [TestCase(Gap.IntervalNoBaseline)]
    public void An_evaluation_that_cannot_judge_the_check_restarts_its_streak(Gap gap)
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        var (check, policyMin) = Case(gap);
        // A time window: runs leave it after 5 minutes, so the gap evaluation sees only what it is given.
        var options = new DetectorOptions { WindowKind = WindowKind.Time, WindowDuration = TimeSpan.FromMinutes(5), MinSamples = policyMin, Checks = [check] };
        var detector = new RegressionDetector(store, options, clock);

        AddBreachingRuns(store, clock.GetUtcNow());
        var first = detector.Evaluate();
        Assert.That(first.Pending.Single().Reason, Does.EndWith(PendingFromScratch), "the streak starts");

        clock.Advance(TimeSpan.FromMinutes(5));
        switch (gap)
        {
            case Gap.PolicyMinSamples:
                break; // no run in the window: 0 < the policy's min_samples 10
            case Gap.CheckMinSamples:
                AddBreachingRuns(store, clock.GetUtcNow(), v1: 5, v2: 5); // 5 < the check's min_samples 10
                break;
            default:
                AddBreachingRuns(store, clock.GetUtcNow(), v1: 0); // v2 breaching, but no v1 run to compare with
                break;
        }
        var unjudged = detector.Evaluate();
        Assert.Multiple(() =>
        {
            Assert.That(unjudged.Outcome, Is.EqualTo(VerdictOutcome.InsufficientData));
            Assert.That(unjudged.Breaches, Is.Empty);
            Assert.That(unjudged.Pending, Is.Empty);
        });

        clock.Advance(TimeSpan.FromMinutes(1)); // 6 minutes after the first breach
        AddBreachingRuns(store, clock.GetUtcNow());
        var again = detector.Evaluate();
        Assert.Multiple(() =>
        {
            Assert.That(again.Breaches, Is.Empty, "the breach before the gap does not count toward the new streak");
            Assert.That(again.Pending.Single().Reason, Does.EndWith(PendingFromScratch));
        });

        clock.Advance(Sustain);
        AddBreachingRuns(store, clock.GetUtcNow());
        Assert.That(detector.Evaluate().Breaches.Single().Reason, Does.EndWith(", sustained 5m >= 5m)"), "the new streak is sustained after 5m of its own");
    }

    [Test]
    public void Reset_forgets_a_streak_in_progress()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        var (check, _) = Case(Gap.CheckMinSamples);
        var detector = new RegressionDetector(store, new DetectorOptions { MinSamples = 1, Checks = [check] }, clock);
        AddBreachingRuns(store, clock.GetUtcNow());
        detector.Evaluate();
        clock.Advance(Sustain);
        detector.Reset();
        Assert.That(detector.Evaluate().Pending.Single().Reason, Does.EndWith(PendingFromScratch));
        clock.Advance(Sustain);
        Assert.That(detector.Evaluate().Breaches.Single().Reason, Does.EndWith(", sustained 5m >= 5m)"));
    }

    [Test]
    public void A_sustain_of_zero_breaches_at_once_without_a_sustain_text()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        var (check, _) = Case(Gap.CheckMinSamples);
        var detector = new RegressionDetector(store, new DetectorOptions { MinSamples = 1, Checks = [check with { Sustain = TimeSpan.Zero }] }, clock);
        AddBreachingRuns(store, clock.GetUtcNow());
        var v = detector.Evaluate();
        Assert.That(v.Breaches.Single(), Is.EqualTo(new Breach("c", 1, 0.5, "c (V2 rate m: 1 > 0.5)", VerdictAction.Rollback)));
        Assert.That(v.Pending, Is.Empty);
    }

    [Test]
    public async Task A_failed_source_query_restarts_the_streak_and_is_an_error_not_a_breach()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        // availability must stay at or above 0.99: 0.9 breaches, 0.995 does not; the second query fails
        var source = new QueueSource(0.9, new HttpRequestException("connection refused"), 0.9, 0.9);
        var check = new CheckDefinition
        {
            Name = "availability", Metric = "availability", Aggregate = CheckAggregate.Mean, Min = 0.99, Sustain = Sustain,
            Source = new CheckSource("avail{engine=\"$engine\"}"), Action = VerdictAction.Rollback,
        };
        var detector = new RegressionDetector(Samples.Store(clock), new DetectorOptions { Checks = [check] }, clock, source);

        Assert.That((await detector.EvaluateAsync()).Pending.Single().Reason, Does.EndWith(PendingFromScratch));
        clock.Advance(TimeSpan.FromMinutes(5));
        var failed = await detector.EvaluateAsync();
        Assert.Multiple(() =>
        {
            Assert.That(failed.Outcome, Is.EqualTo(VerdictOutcome.Inconclusive));
            Assert.That(failed.Errors.Single(), Is.EqualTo(new CheckError("availability", "availability: connection refused")));
            Assert.That(failed.Breaches, Is.Empty, "a failed query is not a reading of 0");
            Assert.That(failed.Pending, Is.Empty);
        });
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That((await detector.EvaluateAsync()).Pending.Single().Reason, Does.EndWith(PendingFromScratch), "the breach before the failed query does not count");
        clock.Advance(Sustain);
        Assert.That((await detector.EvaluateAsync()).Breaches.Single().Reason, Does.EndWith(", sustained 5m >= 5m)"));
    }

    /// <summary>An outside metrics source (a Prometheus stand-in) answering from a queue; an exception in the queue is thrown.</summary>
    private sealed class QueueSource(params object[] answers) : IExternalMetricSource
    {
        private readonly Queue<object> _answers = new(answers);

        public Task<double> QueryAsync(CheckDefinition check, string query, Engine engine, CancellationToken cancellationToken) =>
            _answers.Dequeue() switch
            {
                Exception ex => Task.FromException<double>(ex),
                var value => Task.FromResult((double)value),
            };
    }
}
