using Microsoft.Extensions.DependencyInjection;
using CanarySim.Service.Guard;
using CanarySim.Testing;

namespace CanarySim.Service.Tests.Api;

/// <summary>
/// #15, QA: a truly inconclusive analysis run (the judge's score between marginal and pass) pauses the
/// rollout visibly — status (with and without a token), the audit log, the settings history — and one
/// audited <c>POST /guard/resume</c> lets it continue. The pause outlives a restart.
/// </summary>
[TestFixture]
public sealed class InconclusivePauseTests
{
    private TempDirectory _directory = null!;

    [SetUp]
    public void Folder() => _directory = new TempDirectory("service-tests");

    [TearDown]
    public void Clean() => _directory.Dispose();

    private GuardHost Start() => new(s =>
    {
        s["Guard:BackgroundEvaluation"] = "false";
        s["Guard:EvaluateOnIngest"] = "false";
        s["Guard:PolicyFile"] = RepositoryFile.Path("fixtures/policies/judge-latency-marginal.json");
    }, _directory.File("guard.db"));

    /// <summary>v2 clearly slower (1200 ms against 800 ms) but under every latency limit: the judge scores 90.</summary>
    private static IEnumerable<object> Slower(int n)
    {
        for (var i = 0; i < n; i++)
        {
            yield return new { engine = "v1", latency_ms = 800 + i % 20, quality = 95.0, cost_cents = 1.4 };
            yield return new { engine = "v2", latency_ms = 1200 + i % 20, quality = 95.0, cost_cents = 1.4 };
        }
    }

    [Test]
    public async Task A_truly_inconclusive_run_pauses_visibly_and_one_audited_resume_continues()
    {
        using var host = Start();
        Assert.That((await host.PutConfigAsync("""{"canary_pct": 10, "reason": "ramp"}""")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await host.PostSamplesAsync(Slower(100));

        var evaluation = await host.Authorized.PostAsync("/guard/evaluate", GuardHost.Json("{}"));
        Assert.That(evaluation.StatusCode, Is.EqualTo(HttpStatusCode.OK), await evaluation.Content.ReadAsStringAsync());

        var status = await host.StatusAsync();
        var anonymous = await host.PublicStatusAsync();
        Assert.Multiple(() =>
        {
            Assert.That(status["service"]!["rollback_state"]!.GetValue<string>(), Is.EqualTo("paused"));
            Assert.That(status["service"]!["paused"]!.GetValue<string>(), Is.EqualTo("paused: inconclusive (judge, 90)"));
            Assert.That(status["service"]!["paused_at"]!.GetValue<DateTimeOffset>(), Is.EqualTo(GuardHost.Start));
            Assert.That(anonymous["service"]!["paused"]!.GetValue<string>(), Is.EqualTo("paused: inconclusive (judge, 90)"), "the state is public, the full reason is not");
            Assert.That(status["timeline"]![0]!["kind"]!.GetValue<string>(), Is.EqualTo("pause"));
            Assert.That(status["timeline"]![0]!["reason"]!.GetValue<string>(), Does.StartWith("paused: inconclusive (judge, 90): "));
            Assert.That(status["settings"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(10), "a pause holds the percentage");
        });
        var audit = host.Services.GetRequiredService<GuardStores>().AuditReader;
        Assert.That(audit.Read("config").Select(e => e.Data), Has.Some.Contains("paused: inconclusive (judge, 90)"));

        var resume = await host.Authorized.PostAsync("/guard/resume", GuardHost.Json("""{"actor": "erin", "reason": "latency shift accepted"}"""));

        Assert.That(resume.StatusCode, Is.EqualTo(HttpStatusCode.OK), await resume.Content.ReadAsStringAsync());
        status = await host.StatusAsync();
        Assert.Multiple(() =>
        {
            Assert.That(status["service"]!["rollback_state"]!.GetValue<string>(), Is.EqualTo("active"));
            Assert.That(status["service"]!["paused"], Is.Null);
            Assert.That(status["timeline"]![0]!["kind"]!.GetValue<string>(), Is.EqualTo("resume"));
            Assert.That(status["timeline"]![0]!["actor"]!.GetValue<string>(), Is.EqualTo("erin"));
        });
        Assert.That(audit.Read("config").Last().Data, Does.Contain("latency shift accepted"));
    }

    [Test]
    public async Task The_pause_outlives_a_restart_of_the_service()
    {
        using (var first = Start())
        {
            await first.PutConfigAsync("""{"canary_pct": 10, "reason": "ramp"}""");
            await first.PostSamplesAsync(Slower(100));
            await first.Authorized.PostAsync("/guard/evaluate", GuardHost.Json("{}"));
            Assert.That((await first.StatusAsync())["service"]!["paused"]!.GetValue<string>(), Is.EqualTo("paused: inconclusive (judge, 90)"));
        }

        using var restarted = Start();
        var status = await restarted.StatusAsync();
        Assert.That(status["service"]!["rollback_state"]!.GetValue<string>(), Is.EqualTo("paused"));
        Assert.That(status["service"]!["paused"]!.GetValue<string>(), Is.EqualTo("paused: inconclusive (judge, 90)"));
        Assert.That(status["service"]!["can_promote"]!.GetValue<bool>(), Is.False);
    }
}
