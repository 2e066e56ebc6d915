using System.Text.Json.Nodes;
using CanarySim.Core.Audit;
using CanarySim.Core.Notification;
using CanarySim.Core.Tests.Detection;

namespace CanarySim.Core.Tests.Notification;

public sealed class RollbackProcedureTests
{
    private FakeTimeProvider _clock = null!;
    private InMemoryAuditLog _audit = null!;
    private RollbackController _controller = null!;
    private RecordingNotifier _notifier = null!;
    private RollbackProcedure _procedure = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider(TestClock.Epoch);
        _audit = new InMemoryAuditLog();
        var start = RouterSettings.Default with { CanaryPct = 40 };
        _controller = new RollbackController(new LiveSettings(start), new InMemorySettingsStore(start), _audit, _clock, instance: "guard-a");
        _notifier = new RecordingNotifier();
        _procedure = new RollbackProcedure(_notifier, _audit, _clock);
    }

    private static Breach Breach(string check, VerdictAction action) => new(check, 1, 0, $"{check} (breached)", action);

    [Test]
    public async Task An_automatic_rollback_first_clears_the_rate_limiter_state_then_notifies_on_call()
    {
        var change = _controller.Apply(VerdictAction.Rollback, [Breach("error_rate", VerdictAction.Rollback), Breach("latency", VerdictAction.Rollback)])!;

        var steps = await _procedure.RunAsync(change);

        Assert.Multiple(() =>
        {
            Assert.That(steps.Select(s => (s.Step, s.Event, s.Delivered)), Is.EqualTo(new[]
            {
                (RollbackProcedure.ClearRateLimiterState, "clear_rate_limiter_state", true),
                (RollbackProcedure.NotifyOnCall, "rollback", true),
            }));
            Assert.That(_notifier.Sent.Select(n => n.Event), Is.EqualTo(new[] { "clear_rate_limiter_state", "rollback" }));
            var page = _notifier.Sent[1];
            Assert.That(page, Is.EqualTo(GuardNotification.From(change)));
            Assert.That((page.Actor, page.CanaryPctBefore, page.CanaryPctAfter, page.KillSwitch, page.Instance, page.Version), Is.EqualTo(("auto", 40.0, 0.0, true, "guard-a", change.Version)));
            Assert.That(page.Breaches, Is.EqualTo(new[] { "error_rate (breached)", "latency (breached)" }));
        });
    }

    [TestCase(VerdictAction.Pause, "pause")]
    [TestCase(VerdictAction.ReduceTraffic, "reduce_traffic")]
    [TestCase(VerdictAction.ManualReview, "manual_review")]
    public async Task Other_protective_actions_notify_on_call_only(VerdictAction action, string kind)
    {
        var change = _controller.Apply(action, [Breach("cost_spike", action)])!;

        var steps = await _procedure.RunAsync(change);

        Assert.That(steps.Select(s => (s.Step, s.Event)), Is.EqualTo(new[] { (RollbackProcedure.NotifyOnCall, kind) }));
        Assert.That(_notifier.Sent.Single().Event, Is.EqualTo(kind));
    }

    [Test]
    public async Task A_staged_rollback_step_notifies_on_call_and_leaves_the_rate_limiter_alone()
    {
        var staged = new RollbackController(new LiveSettings(RouterSettings.Default with { CanaryPct = 40 }), new InMemorySettingsStore(), _audit, _clock,
            new DetectorOptions { StagedRollback = true, StagedRollbackSteps = 3 });
        var change = staged.Apply(VerdictAction.Rollback, [Breach("latency", VerdictAction.Rollback)])!;
        Assert.That(change.Kind, Is.EqualTo(SettingsChangeKind.StagedRollback));

        await _procedure.RunAsync(change);

        Assert.That(_notifier.Sent.Select(n => (n.Event, n.CanaryPctAfter, n.KillSwitch)), Is.EqualTo(new[] { ("staged_rollback", 20.0, false) }));
    }

    [Test]
    public async Task Config_changes_resumes_and_re_enables_notify_nobody()
    {
        var changes = new List<SettingsChange>
        {
            _controller.UpdateConfig("ops", "ramp", s => s with { CanaryPct = 50 })!,
            _controller.Apply(VerdictAction.Pause, [Breach("cost_spike", VerdictAction.Pause)])!,
            _controller.Resume("ops", "cost explained"),
            _controller.ManualRollback("ops", "bad answers"),
            _controller.ReEnable("ops", "fixed", 5),
        };

        foreach (var change in changes)
        {
            await _procedure.RunAsync(change);
        }

        Assert.That(changes.Select(c => RollbackProcedure.StepsFor(c).Count), Is.EqualTo(new[] { 0, 1, 0, 2, 0 }));
        Assert.That(_notifier.Sent.Select(n => (n.Event, n.Actor)), Is.EqualTo(new[]
        {
            ("pause", "auto"), ("clear_rate_limiter_state", "ops"), ("rollback", "ops"),
        }));
    }

    [Test]
    public async Task A_failed_step_is_audited_with_its_error_and_on_call_is_still_notified()
    {
        _notifier.FailOn = "clear_rate_limiter_state";
        var change = _controller.ManualRollback("carol", "payroll answers look wrong");
        _clock.Advance(TimeSpan.FromSeconds(3));

        var steps = await _procedure.RunAsync(change);

        Assert.That(steps.Select(s => s.Delivered), Is.EqualTo(new[] { false, true }));
        var audited = _audit.Read(RollbackProcedure.AuditType);
        Assert.Multiple(() =>
        {
            Assert.That(audited.Select(e => e.At), Is.All.EqualTo(TestClock.Epoch.AddSeconds(3)));
            var first = JsonNode.Parse(audited[0].Data)!;
            Assert.That(first["step"]!.GetValue<string>(), Is.EqualTo("clear_rate_limiter_state"));
            Assert.That(first["delivered"]!.GetValue<bool>(), Is.False);
            Assert.That(first["error"]!.GetValue<string>(), Is.EqualTo("webhook down"));
            Assert.That(first["version"]!.GetValue<long>(), Is.EqualTo(change.Version));
            var second = JsonNode.Parse(audited[1].Data)!;
            Assert.That((second["step"]!.GetValue<string>(), second["event"]!.GetValue<string>(), second["delivered"]!.GetValue<bool>()),
                Is.EqualTo(("notify_on_call", "rollback", true)));
            Assert.That(second["error"], Is.Null);
        });
    }

    [Test]
    public void Cancelling_stops_the_procedure_without_recording_a_delivery()
    {
        var change = _controller.ManualRollback("carol", "incident");
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.That(async () => await _procedure.RunAsync(change, cancel.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(_audit.Read(RollbackProcedure.AuditType), Is.Empty);
    }

    /// <summary>The outside world's on-call channel: records what it was sent, and fails for one event when told to.</summary>
    private sealed class RecordingNotifier : INotifier
    {
        public List<GuardNotification> Sent { get; } = [];

        public string? FailOn { get; set; }

        public Task NotifyAsync(GuardNotification notification, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (notification.Event == FailOn)
            {
                throw new NotificationException("webhook down");
            }
            Sent.Add(notification);
            return Task.CompletedTask;
        }
    }
}
