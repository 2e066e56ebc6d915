namespace CanarySim.Core.Tests.Detection;

public sealed class AnalysisRunTests
{
    private static Verdict V(VerdictOutcome outcome) => new()
    {
        Outcome = outcome,
        Action = outcome == VerdictOutcome.Fail ? VerdictAction.Rollback : VerdictAction.None,
        V1 = WindowAggregates.Empty,
        V2 = WindowAggregates.Empty,
        Samples = new SampleCounts(0, 0),
    };

    [Test]
    public void Default_limits_fail_on_the_first_failure()
    {
        var run = new AnalysisRun();
        run.Record(V(VerdictOutcome.Pass));
        Assert.That(run.Phase, Is.EqualTo(AnalysisPhase.Running));
        run.Record(V(VerdictOutcome.Fail));
        Assert.That(run.Phase, Is.EqualTo(AnalysisPhase.Failed));
        run.Record(V(VerdictOutcome.Pass));
        Assert.That(run.Phase, Is.EqualTo(AnalysisPhase.Failed), "a failed run stays failed");
    }

    [Test]
    public void Failure_limit_tolerates_that_many_failures()
    {
        var run = new AnalysisRun(new DetectorOptions { FailureLimit = 2 });
        run.Record(V(VerdictOutcome.Fail));
        run.Record(V(VerdictOutcome.Fail));
        Assert.That(run.Phase, Is.EqualTo(AnalysisPhase.Running));
        run.Record(V(VerdictOutcome.Fail));
        Assert.That(run.Phase, Is.EqualTo(AnalysisPhase.Failed));
    }

    [Test]
    public void Inconclusive_beyond_the_limit_is_inconclusive_never_successful_and_can_still_fail()
    {
        var run = new AnalysisRun(new DetectorOptions { InconclusiveLimit = 1 });
        run.Record(V(VerdictOutcome.Inconclusive));
        Assert.That(run.Phase, Is.EqualTo(AnalysisPhase.Running));
        run.Record(V(VerdictOutcome.Inconclusive));
        Assert.That(run.Phase, Is.EqualTo(AnalysisPhase.Inconclusive));
        Assert.That(run.Complete(), Is.EqualTo(AnalysisPhase.Inconclusive), "inconclusive never completes as successful");
        run.Record(V(VerdictOutcome.Fail));
        Assert.That(run.Phase, Is.EqualTo(AnalysisPhase.Failed));
    }

    [Test]
    public void A_throwing_metric_source_is_an_error_measurement_not_a_pass()
    {
        var run = new AnalysisRun();
        var m = run.Measure(() => throw new TimeoutException("prometheus timed out"));
        Assert.Multiple(() =>
        {
            Assert.That(m.Phase, Is.EqualTo(MeasurementPhase.Error));
            Assert.That(m.Verdict, Is.Null);
            Assert.That(m.Error, Is.EqualTo("prometheus timed out"));
            Assert.That(run.Successful, Is.Zero);
            Assert.That(run.Errors, Is.EqualTo(1));
        });
    }

    [Test]
    public void More_than_four_consecutive_errors_error_the_run_and_a_good_measurement_resets_the_count()
    {
        var run = new AnalysisRun();
        for (var i = 0; i < 4; i++)
        {
            run.Measure(() => throw new InvalidOperationException("down"));
        }
        Assert.That(run.Phase, Is.EqualTo(AnalysisPhase.Running));
        run.Record(V(VerdictOutcome.Pass));
        Assert.That(run.ConsecutiveErrors, Is.Zero);
        for (var i = 0; i < 5; i++)
        {
            run.Measure(() => throw new InvalidOperationException("down"));
        }
        Assert.That(run.Phase, Is.EqualTo(AnalysisPhase.Error));
    }

    [Test]
    public void Insufficient_data_counts_toward_no_limit()
    {
        var run = new AnalysisRun();
        for (var i = 0; i < 10; i++)
        {
            Assert.That(run.Record(V(VerdictOutcome.InsufficientData)).Phase, Is.EqualTo(MeasurementPhase.InsufficientData));
        }
        Assert.That(run.Phase, Is.EqualTo(AnalysisPhase.Running));
        Assert.That(run.Complete(), Is.EqualTo(AnalysisPhase.Successful));
    }
}
