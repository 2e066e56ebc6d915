using System.Collections.Immutable;
using System.Globalization;
using CanarySim.Core.Audit;
using CanarySim.Core.Tests.Detection;

namespace CanarySim.Core.Tests.Rollback;

/// <summary>The audit event of a settings change, compared as text with the event written out by hand.</summary>
public sealed class SettingsChangeAuditTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly RouterSettings Before = RouterSettings.Default with
    {
        Mode = RouterMode.Canary,
        CanaryPct = 50,
        Salt = "salt-7",
        Phase = "phase8",
        Segments = ImmutableDictionary<string, SegmentOverride>.Empty.Add("zeta", new SegmentOverride(true, 5)).Add("alpha", new SegmentOverride(false)),
        Cohort = ImmutableHashSet.Create(StringComparer.Ordinal, "u-9", "u-1"),
    };

    private const string BeforeJson =
        """{"mode":"canary","canary_pct":50,"kill_switch":false,"salt":"salt-7","phase":"phase8","segments":{"alpha":{"enabled":false,"canary_pct":null},"zeta":{"enabled":true,"canary_pct":5}},"cohort":["u-1","u-9"]}""";

    private const string AfterJson =
        """{"mode":"canary","canary_pct":0,"kill_switch":true,"salt":"salt-7","phase":"phase8","segments":{"alpha":{"enabled":false,"canary_pct":null},"zeta":{"enabled":true,"canary_pct":5}},"cohort":["u-1","u-9"]}""";

    [Test]
    public void An_automatic_rollback_is_audited_with_the_verdict_every_breach_and_the_settings_before_and_after()
    {
        var clock = new FakeTimeProvider(Start);
        var audit = new InMemoryAuditLog();
        var controller = new RollbackController(new LiveSettings(Before), new InMemorySettingsStore(Before), audit, clock, instance: "router-a");
        var metrics = new InMemoryMetricsStore(clock);
        metrics.AddRange(Samples.Many(100, Engine.V1, clock.GetUtcNow()));
        metrics.AddRange(Samples.Many(100, Engine.V2, clock.GetUtcNow(), (_, s) => s with { Quality = 82 }));
        var verdict = new RegressionDetector(metrics, new DetectorOptions(), clock).Evaluate();
        var b = verdict.Breaches.Single();
        clock.Advance(TimeSpan.FromSeconds(90.5));

        controller.Apply(verdict);

        var expected =
            "{\"sequence\":1,\"version\":1,\"instance\":\"router-a\",\"at\":\"2026-03-01T10:01:30.5Z\",\"actor\":\"auto\",\"kind\":\"rollback\"," +
            $"\"reason\":\"{b.Reason}\",\"verdict\":\"fail\",\"action\":\"rollback\"," +
            $"\"breaches\":[{{\"check\":\"{b.Check}\",\"value\":{Num(b.Value)},\"threshold\":{Num(b.Threshold)},\"reason\":\"{b.Reason}\",\"action\":\"rollback\"}}]," +
            $"\"before\":{BeforeJson},\"after\":{AfterJson}}}";
        Assert.That(audit.Read("rollback").Single().Data, Is.EqualTo(expected));
        Assert.That(b.Check, Is.EqualTo("quality"), "the breach the samples were made for");
    }

    [Test]
    public void A_manual_change_without_an_instance_or_a_verdict_has_neither_field_and_no_breaches()
    {
        var clock = new FakeTimeProvider(Start);
        var audit = new InMemoryAuditLog();
        var controller = new RollbackController(new LiveSettings(Before), new InMemorySettingsStore(Before), audit, clock);

        controller.UpdateConfig("ops", "ramp \"slowly\"", s => s with { CanaryPct = 60 });

        var data = audit.Read("config").Single().Data;
        Assert.That(data, Does.StartWith("{\"sequence\":1,\"version\":1,\"at\":\"2026-03-01T10:00:00Z\",\"actor\":\"ops\",\"kind\":\"config\",\"reason\":\"ramp \\\"slowly\\\"\",\"breaches\":[],\"before\":"));
        Assert.That(data, Does.Contain("\"after\":{\"mode\":\"canary\",\"canary_pct\":60,"));
    }

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);
}
