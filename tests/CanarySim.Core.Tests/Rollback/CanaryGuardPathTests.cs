using System.Text.Json;
using CanarySim.Core.Audit;
using CanarySim.Core.Detection;
using CanarySim.Core.Judging;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;
using CanarySim.Core.Tests.Detection;
using Microsoft.Extensions.Time.Testing;

namespace CanarySim.Core.Tests.Rollback;

/// <summary>
/// The guard's paths besides the plain evaluation: what a re-enable (API, config, another instance) restarts,
/// the audit filter, an inconclusive run, and the asynchronous evaluation with its errors and cancellation.
/// </summary>
public sealed class CanaryGuardPathTests
{
    private static readonly RouterSettings Canary20 = RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 20 };

    /// <summary>How a rolled-back canary is turned back on.</summary>
    public enum ReEnablePath
    {
        ReEnable,
        ConfigKillSwitchOff,
        AnotherInstance,
    }

    private sealed record Rig(FakeTimeProvider Clock, InMemoryMetricsStore Metrics, InMemorySettingsStore Settings, IAuditSink Audit, CanaryGuard Guard)
    {
        /// <summary>A second router instance over the same settings store.</summary>
        public RollbackController OtherInstance() => new(new LiveSettings(Canary20), Settings, new InMemoryAuditLog(), Clock, instance: "router-b");
    }

    private static Rig Build(DetectorOptions? options = null, IMetricsStore? metrics = null, IAuditSink? audit = null, IExternalMetricSource? external = null)
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        var settings = new InMemorySettingsStore(Canary20);
        audit ??= new InMemoryAuditLog();
        var guard = new CanaryGuard(metrics ?? store, new LiveSettings(Canary20), settings, audit, options, clock, external);
        return new Rig(clock, store, settings, audit, guard);
    }

    // 8 % errors against none: the built-in error check breaches, sustained only after 5 minutes.
    private static void AddSustainedErrorSpike(Rig rig)
    {
        rig.Metrics.AddRange(Samples.Many(100, Engine.V1, rig.Clock.GetUtcNow()));
        rig.Metrics.AddRange(Samples.Many(100, Engine.V2, rig.Clock.GetUtcNow(), (i, s) => s with { Error = i < 8 }));
    }

    private static void AddQualityDrop(Rig rig)
    {
        rig.Metrics.AddRange(Samples.Many(100, Engine.V1, rig.Clock.GetUtcNow()));
        rig.Metrics.AddRange(Samples.Many(100, Engine.V2, rig.Clock.GetUtcNow(), (_, s) => s with { Quality = 82 }));
    }

    private static JsonElement[] Evaluations(IAuditReader audit) =>
        audit.Read("evaluation").Select(e => JsonDocument.Parse(e.Data).RootElement.Clone()).ToArray();

    [TestCase(ReEnablePath.ReEnable)]
    [TestCase(ReEnablePath.ConfigKillSwitchOff)]
    [TestCase(ReEnablePath.AnotherInstance)]
    public void Turning_a_rolled_back_canary_back_on_forgets_the_breach_streak_and_starts_a_new_run(ReEnablePath path)
    {
        var rig = Build();
        AddSustainedErrorSpike(rig);
        Assert.That(rig.Guard.EvaluateAndAct().Measurement.Phase, Is.EqualTo(MeasurementPhase.Pending), "the streak starts");
        rig.Guard.ManualRollback("ops", "incident");
        rig.Clock.Advance(TimeSpan.FromMinutes(5));

        switch (path)
        {
            case ReEnablePath.ReEnable:
                rig.Guard.ReEnable("ops", "fixed", 20);
                break;
            case ReEnablePath.ConfigKillSwitchOff:
                Assert.That(rig.Guard.UpdateConfig("ops", "fixed", s => s with { KillSwitch = false, CanaryPct = 20 })!.Kind, Is.EqualTo(SettingsChangeKind.ReEnable));
                break;
            default:
                rig.OtherInstance().ReEnable("ops-b", "fixed", 20);
                Assert.That(rig.Guard.Refresh(rig.Settings.Current), Is.True, "a newer stored version is taken");
                break;
        }

        Assert.That((rig.Guard.Controller.State, rig.Guard.Run.Measurements.Count), Is.EqualTo((RollbackState.Active, 0)), "a new analysis run");
        var next = rig.Guard.EvaluateAndAct();
        Assert.That((next.Measurement.Phase, next.Action, next.Change), Is.EqualTo((MeasurementPhase.Pending, VerdictAction.Hold, (SettingsChange?)null)),
            "the breach 5 minutes before the rollback does not count toward its sustain window");
        Assert.That(next.Verdict!.Pending.Single().Reason, Does.EndWith(", for 0s of 5m needed)"));
    }

    /// <summary>How the settings change while a breach is pending, without ending a rollback.</summary>
    public enum OtherChange
    {
        ConfigChange,
        AnotherInstancesConfigChange,
    }

    [TestCase(OtherChange.ConfigChange)]
    [TestCase(OtherChange.AnotherInstancesConfigChange)]
    public void A_settings_change_that_ends_no_rollback_keeps_the_breach_streak_and_the_run(OtherChange how)
    {
        var rig = Build();
        AddSustainedErrorSpike(rig);
        rig.Guard.EvaluateAndAct();
        rig.Clock.Advance(TimeSpan.FromMinutes(5));

        if (how == OtherChange.ConfigChange)
        {
            Assert.That(rig.Guard.UpdateConfig("ops", "ramp", s => s with { CanaryPct = 30 })!.Kind, Is.EqualTo(SettingsChangeKind.Config));
        }
        else
        {
            rig.OtherInstance().UpdateConfig("ops-b", "ramp", s => s with { CanaryPct = 30 });
            Assert.That(rig.Guard.Refresh(rig.Settings.Current), Is.True);
        }

        Assert.That(rig.Guard.Run.Measurements, Has.Count.EqualTo(1), "the same analysis run");
        var sustained = rig.Guard.EvaluateAndAct();
        Assert.That((sustained.Action, sustained.Change?.Kind, rig.Guard.Controller.Current.KillSwitch), Is.EqualTo((VerdictAction.Rollback, (SettingsChangeKind?)SettingsChangeKind.Rollback, true)),
            "the breach has now lasted its 5 minutes");
    }

    [Test]
    public void Refresh_takes_only_a_newer_stored_version_and_adopting_a_rollback_restarts_nothing()
    {
        var rig = Build();
        AddSustainedErrorSpike(rig);
        rig.Guard.EvaluateAndAct();
        Assert.That(rig.Guard.Refresh(rig.Settings.Current), Is.False, "nothing newer is stored");

        rig.OtherInstance().ManualRollback("ops-b", "incident");
        Assert.That(rig.Guard.Refresh(rig.Settings.Current), Is.True);

        Assert.That((rig.Guard.Controller.State, rig.Guard.Run.Measurements.Count), Is.EqualTo((RollbackState.RolledBack, 1)));
    }

    [Test]
    public void An_evaluation_that_changed_the_settings_is_audited_even_when_the_sink_drops_routine_evaluations()
    {
        var audit = new DroppingAuditLog();
        var rig = Build(audit: audit);
        rig.Metrics.AddRange(Samples.Many(100, Engine.V1, rig.Clock.GetUtcNow()));
        rig.Metrics.AddRange(Samples.Many(100, Engine.V2, rig.Clock.GetUtcNow()));

        Assert.That(rig.Guard.EvaluateAndAct().Action, Is.EqualTo(VerdictAction.None));
        Assert.That((audit.Asked.Single(), audit.Read("evaluation").Count), Is.EqualTo((("successful", "none"), 0)), "asked by wire names, then dropped");

        AddQualityDrop(rig);
        var rollback = rig.Guard.EvaluateAndAct();

        Assert.That(rollback.Change, Is.Not.Null);
        Assert.That(audit.Asked, Has.Count.EqualTo(1), "an evaluation that changed the settings is kept without asking");
        var kept = Evaluations(audit).Single();
        Assert.That((kept.GetProperty("action").GetString(), kept.GetProperty("change_sequence").GetInt64()), Is.EqualTo(("rollback", rollback.Change!.Sequence)));
    }

    [Test]
    public void After_an_inconclusive_run_a_healthy_evaluation_still_holds_until_a_resume()
    {
        var rig = Build(CanaryGuardTests.MarginalJudge());
        rig.Metrics.AddRange(Samples.Many(100, Engine.V1, rig.Clock.GetUtcNow(), (i, s) => s with { LatencyMs = 800 + i % 20 }));
        rig.Metrics.AddRange(Samples.Many(100, Engine.V2, rig.Clock.GetUtcNow(), (i, s) => s with { LatencyMs = 1200 + i % 20 }));
        Assert.That(rig.Guard.EvaluateAndAct().Action, Is.EqualTo(VerdictAction.Pause));
        rig.Metrics.AddRange(Samples.Many(100, Engine.V2, rig.Clock.GetUtcNow(), (i, s) => s with { LatencyMs = 800 + i % 20 }));

        var healthy = rig.Guard.EvaluateAndAct();

        Assert.That((healthy.Measurement.Phase, healthy.RunPhase, healthy.Action), Is.EqualTo((MeasurementPhase.Successful, AnalysisPhase.Inconclusive, VerdictAction.Hold)),
            "one healthy reading does not decide a run that could not be decided");
        Assert.That(Evaluations((IAuditReader)rig.Audit).Last().GetProperty("action").GetString(), Is.EqualTo("hold"));
        rig.Guard.Resume("ops", "latency accepted");
        Assert.That(rig.Guard.EvaluateAndAct().Action, Is.EqualTo(VerdictAction.None));
    }

    [Test]
    public async Task An_asynchronous_evaluation_acts_on_its_verdict()
    {
        var rig = Build();
        AddQualityDrop(rig);

        var outcome = await rig.Guard.EvaluateAndActAsync();

        Assert.That((outcome.Measurement.Phase, outcome.Action, outcome.Change?.Kind, outcome.Verdict?.Outcome),
            Is.EqualTo((MeasurementPhase.Failed, VerdictAction.Rollback, (SettingsChangeKind?)SettingsChangeKind.Rollback, (VerdictOutcome?)VerdictOutcome.Fail)));
        Assert.That(rig.Guard.Controller.Current.KillSwitch, Is.True);
    }

    [Test]
    public async Task A_metric_store_failing_an_asynchronous_evaluation_is_an_error_that_holds_then_rolls_back_past_the_limit()
    {
        const string Failure = "quota > 100% for 'tenant-é' <eu>";
        var rig = Build(metrics: new FailingStore(new InvalidOperationException(Failure)));

        for (var i = 0; i < 4; i++)
        {
            var held = await rig.Guard.EvaluateAndActAsync();
            Assert.That((held.Measurement.Phase, held.Measurement.Error, held.Action), Is.EqualTo((MeasurementPhase.Error, Failure, VerdictAction.Hold)));
        }
        var fifth = await rig.Guard.EvaluateAndActAsync();

        Assert.That((fifth.RunPhase, fifth.Action, rig.Guard.Controller.Current.KillSwitch), Is.EqualTo((AnalysisPhase.Error, VerdictAction.Rollback, true)));
        Assert.That(fifth.Breaches.Single().Reason, Is.EqualTo($"metric_source (5 consecutive errors > 4: {Failure})"));
        var audited = ((IAuditReader)rig.Audit).Read("evaluation");
        Assert.That(audited, Has.Count.EqualTo(5));
        Assert.That(audited[0].Data, Is.EqualTo($"{{\"measurement\":\"error\",\"run_phase\":\"running\",\"action\":\"hold\",\"error\":\"{Failure}\"}}"),
            "the error is written as it reads, without escaping");
    }

    [Test]
    public async Task Failing_source_queries_roll_back_past_the_limit_naming_every_failed_check()
    {
        var checks = new[] { "availability", "saturation" }.Select(name => new CheckDefinition
        {
            Name = name, Metric = name, Aggregate = CheckAggregate.Mean, Compare = CheckCompare.Value, Max = 1,
            Source = new CheckSource(name + "{engine=\"$engine\"}"), Action = VerdictAction.Rollback,
        }).ToList();
        var rig = Build(new DetectorOptions { Checks = checks }, external: new RefusingSource());
        rig.Metrics.AddRange(Samples.Many(100, Engine.V1, rig.Clock.GetUtcNow()));
        rig.Metrics.AddRange(Samples.Many(100, Engine.V2, rig.Clock.GetUtcNow()));

        GuardOutcome last = null!;
        for (var i = 0; i < 5; i++)
        {
            last = await rig.Guard.EvaluateAndActAsync();
        }

        Assert.That((last.Measurement.Phase, last.Measurement.Error, last.Action), Is.EqualTo((MeasurementPhase.Error, (string?)null, VerdictAction.Rollback)));
        Assert.That(last.Breaches.Single().Reason,
            Is.EqualTo("metric_source (5 consecutive errors > 4: availability: connection refused; saturation: connection refused)"));
    }

    [Test]
    public void Cancelling_an_asynchronous_evaluation_throws_and_records_no_measurement()
    {
        var rig = Build();
        AddQualityDrop(rig);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.That(async () => await rig.Guard.EvaluateAndActAsync(cancelled.Token), Throws.InstanceOf<OperationCanceledException>());

        Assert.That((rig.Guard.Run.Measurements.Count, ((IAuditReader)rig.Audit).Read().Count, rig.Guard.Controller.Current.KillSwitch), Is.EqualTo((0, 0, false)));
    }

    [Test]
    public async Task A_cancellation_the_caller_did_not_ask_for_is_an_error_measurement()
    {
        var rig = Build(metrics: new FailingStore(new TaskCanceledException("the metrics query timed out")));

        var outcome = await rig.Guard.EvaluateAndActAsync();

        Assert.That((outcome.Measurement.Phase, outcome.Measurement.Error, outcome.Action), Is.EqualTo((MeasurementPhase.Error, "the metrics query timed out", VerdictAction.Hold)));
    }

    /// <summary>An audit log that drops every evaluation it is asked about, and records what it was asked.</summary>
    private sealed class DroppingAuditLog : IAuditSink, IAuditReader, IEvaluationAuditFilter
    {
        private readonly InMemoryAuditLog _log = new();

        public List<(string Measurement, string Action)> Asked { get; } = [];

        public bool KeepsEvaluation(string measurement, string action)
        {
            Asked.Add((measurement, action));
            return false;
        }

        public void Append(AuditEvent auditEvent) => _log.Append(auditEvent);

        public IReadOnlyList<AuditEvent> Read(string? type = null, DateTimeOffset? since = null, int? limit = null) => _log.Read(type, since, limit);
    }

    /// <summary>A metrics backend that fails every read with the given exception.</summary>
    private sealed class FailingStore(Exception failure) : IMetricsStore
    {
        public void Add(Sample sample) => throw failure;
        public IReadOnlyList<Sample> LastRuns(Engine engine, int count) => throw failure;
        public IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since) => throw failure;
    }

    /// <summary>A Prometheus stand-in that is down.</summary>
    private sealed class RefusingSource : IExternalMetricSource
    {
        public Task<double> QueryAsync(CheckDefinition check, string query, Engine engine, CancellationToken cancellationToken) =>
            Task.FromException<double>(new HttpRequestException("connection refused"));
    }
}
