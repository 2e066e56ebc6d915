using CanarySim.Core.Notification;
using CanarySim.Service.Guard;
using Microsoft.Extensions.DependencyInjection;

namespace CanarySim.Service.Tests.Notification;

/// <summary>The guard service with <c>--notify-webhook</c>: the rollback procedure reaches a (WireMock) webhook.</summary>
public sealed class GuardNotificationTests
{
    private WebhookStub _hook = null!;
    private GuardHost _host = null!;

    [SetUp]
    public void Start()
    {
        _hook = new WebhookStub(200);
        _host = new GuardHost(s =>
        {
            s["Guard:BackgroundEvaluation"] = "false";
            s["Guard:EvaluateOnIngest"] = "false";
            s["Guard:NotifyWebhookUrl"] = _hook.Url.ToString();
        });
    }

    [TearDown]
    public void Stop()
    {
        _host.Dispose();
        _hook.Dispose();
    }

    [Test]
    public async Task An_automatic_rollback_clears_the_rate_limiter_state_then_notifies_on_call_and_audits_both()
    {
        await _host.PutConfigAsync("""{"canary_pct": 10, "reason": "ramp"}""");
        await _host.PostSamplesAsync(GuardHost.Samples(40, v2Quality: 82, v2LatencyMs: 1850));
        var evaluated = await _host.Authorized.PostAsync("/guard/evaluate", null);
        Assert.That(evaluated.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await _host.Runtime.NotificationsSettled;

        var bodies = _hook.Bodies;
        Assert.Multiple(() =>
        {
            Assert.That(bodies.Select(b => b["event"]!.GetValue<string>()), Is.EqualTo(new[] { "clear_rate_limiter_state", "rollback" }),
                "the ramp's config change notifies nobody");
            var page = bodies[1];
            Assert.That(page["actor"]!.GetValue<string>(), Is.EqualTo("auto"));
            Assert.That(page["kill_switch"]!.GetValue<bool>(), Is.True);
            Assert.That(page["canary_pct_before"]!.GetValue<double>(), Is.EqualTo(10));
            Assert.That(page["canary_pct_after"]!.GetValue<double>(), Is.EqualTo(0));
            Assert.That(page["breaches"]!.AsArray().Select(b => b!.GetValue<string>()), Does.Contain("quality (V1: 95.0, V2: 82.0, drop: 13.0)"));
            Assert.That(page["version"]!.GetValue<long>(), Is.EqualTo(_host.Runtime.SettingsVersion));
        });
        var audited = _host.Services.GetRequiredService<GuardStores>().AuditReader.Read(RollbackProcedure.AuditType)
            .Select(e => JsonNode.Parse(e.Data)!).ToList();
        Assert.That(audited.Select(a => (a["step"]!.GetValue<string>(), a["delivered"]!.GetValue<bool>())),
            Is.EqualTo(new[] { ("clear_rate_limiter_state", true), ("notify_on_call", true) }));
    }

    [Test]
    public async Task A_manual_rollback_runs_the_same_procedure_and_a_re_enable_notifies_nobody()
    {
        await _host.PutConfigAsync("""{"canary_pct": 20, "reason": "ramp"}""");
        await _host.Authorized.PostAsync("/guard/rollback", GuardHost.Json("""{"reason": "payroll answers look wrong", "actor": "carol"}"""));
        await _host.PutConfigAsync("""{"kill_switch": false, "canary_pct": 5, "reason": "fixed", "updated_by": "carol"}""");

        await _host.Runtime.NotificationsSettled;

        var bodies = _hook.Bodies;
        Assert.That(bodies.Select(b => (b["event"]!.GetValue<string>(), b["actor"]!.GetValue<string>(), b["reason"]!.GetValue<string>())), Is.EqualTo(new[]
        {
            ("clear_rate_limiter_state", "carol", "payroll answers look wrong"),
            ("rollback", "carol", "payroll answers look wrong"),
        }));
    }
}
