using System.Reflection;
using System.Text.Json.Serialization;
using CanarySim.Core.Gating;
using CanarySim.Core.Judging;
using CanarySim.Core.Reporting;
using CanarySim.Core.Rollout;
using CanarySim.Harness.Simulation;
using CanarySim.Harness.WireMock;

namespace CanarySim.Core.Tests.Wire;

/// <summary>
/// Every enum text written to the CLI's JSON, the API, audit events, artifacts and reports, value by value.
/// These texts are public: a change here is a change of the published interface.
/// </summary>
public sealed class PublishedWireNamesTests
{
    private static readonly Dictionary<Type, string[]> Published = new()
    {
        [typeof(AnalysisPhase)] = ["running", "successful", "failed", "inconclusive", "error"],
        [typeof(CheckAggregate)] = ["mean", "min", "max", "sum", "count", "rate", "per_hour", "p50", "p90", "p95", "p99"],
        [typeof(CheckCompare)] = ["value", "drop", "increase", "ratio", "judge"],
        [typeof(MeasurementPhase)] = ["successful", "failed", "inconclusive", "error", "pending", "insufficient_data"],
        [typeof(MissingBaseline)] = ["insufficient", "skip"],
        [typeof(VerdictAction)] = ["none", "hold", "manual_review", "pause", "reduce_traffic", "rollback"],
        [typeof(VerdictOutcome)] = ["pass", "fail", "inconclusive", "insufficient_data"],
        [typeof(WindowKind)] = ["count", "time"],
        [typeof(GateCheckStatus)] = ["pass", "fail", "skipped"],
        [typeof(ShadowOutcome)] = ["regressed", "improved", "unchanged", "missing_in_baseline", "missing_in_candidate"],
        [typeof(UatRole)] = ["ai.reader", "ai.operator"],
        [typeof(UatRunKind)] = ["first", "diagnostic"],
        [typeof(JudgeClassification)] = ["pass", "marginal", "fail"],
        [typeof(MetricClassification)] = ["pass", "high", "low", "nodata"],
        [typeof(MetricDirection)] = ["either", "increase", "decrease"],
        [typeof(NanStrategy)] = ["remove", "replace"],
        [typeof(RollbackState)] = ["active", "paused", "rolling_back", "rolled_back"],
        [typeof(SettingsChangeKind)] = ["config", "rollback", "staged_rollback", "reduce_traffic", "pause", "manual_review", "re_enable", "resume", "approve"],
        [typeof(GateKind)] = ["detector", "manual_approval", "release_gate", "rollback_rehearsal"],
        [typeof(StageKind)] = ["shadow", "canary", "progressive"],
        [typeof(BucketingAlgorithm)] = ["canarysim", "unleash", "featuremanagement", "launchdarkly"],
        [typeof(Engine)] = ["v1", "v2"],
        [typeof(RouteReason)] = ["default", "canary", "kill_switch", "shadow", "cohort", "segment_disabled", "unkeyed"],
        [typeof(RouterMode)] = ["primary", "shadow", "canary", "candidate"],
        [typeof(SimulationEngines)] = ["in-process", "wiremock"],
        [typeof(SimulationOutcome)] = ["completed", "rolled_back", "in_progress"],
        [typeof(Fault)] = ["CONNECTION_RESET_BY_PEER", "MALFORMED_RESPONSE_CHUNK", "EMPTY_RESPONSE", "RANDOM_DATA_THEN_CLOSE"],
    };

    private static readonly MethodInfo Check = typeof(PublishedWireNamesTests).GetMethod(nameof(Pinned), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static void Pinned<T>(string[] texts)
        where T : struct, Enum
    {
        var values = Enum.GetValues<T>();
        Assert.That(values.Select(v => WireName.Of(v)), Is.EqualTo(texts), typeof(T).Name);
        Assert.That(WireName.All<T>(), Is.EqualTo(texts), typeof(T).Name);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.That(WireName.TryParse<T>(texts[i], out var exact) && exact.Equals(values[i]), Is.True, $"{typeof(T).Name} reads '{texts[i]}'");
            Assert.That(WireName.TryParseIgnoreCase<T>($" {texts[i].ToUpperInvariant()}\t", out var loose) && loose.Equals(values[i]), Is.True,
                $"{typeof(T).Name} reads '{texts[i]}' in upper case");
        }
    }

    [Test]
    public void Every_value_of_every_written_enum_has_its_published_text()
    {
        foreach (var (type, texts) in Published)
        {
            Check.MakeGenericMethod(type).Invoke(null, [texts]);
        }
    }

    [Test]
    public void Every_enum_with_a_wire_name_is_pinned_here()
    {
        var attributed = new[] { typeof(WireName).Assembly, typeof(Fault).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsEnum && t.GetFields().Any(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>() is not null))
            .ToList();
        Assert.That(attributed, Is.EquivalentTo(Published.Keys));
    }

    [Test]
    public void Writing_and_reading_a_wire_name_allocates_nothing()
    {
        // The router, the simulator's shards and the route audit write these per request.
        var length = 0;
        void Run(int times)
        {
            for (var i = 0; i < times; i++)
            {
                length += WireName.Of((RouteReason)(i % RouteReasons.Count)).Length + WireName.Of((Engine)(i & 1)).Length
                    + WireName.Of(RouterMode.Canary).Length + WireName.Of(BucketingAlgorithm.Unleash).Length;
                length += WireName.TryParseIgnoreCase<BucketingAlgorithm>(" launchdarkly ".AsSpan(), out var a) ? (int)a : -1;
            }
        }
        Run(100);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(10_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero, "bytes allocated by 10,000 rounds");
        Assert.That(length, Is.GreaterThan(0));
    }

    [Test]
    public void An_undefined_value_has_no_wire_name()
    {
        Assert.That(() => WireName.Of((RouterMode)4), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => WireName.Of((StageKind)(-1)), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Parsers_with_aliases_keep_them_and_exact_ones_stay_exact()
    {
        Assert.That(UatWire.TryParseRunKind("rerun", out var rerun) ? rerun : UatRunKind.First, Is.EqualTo(UatRunKind.Diagnostic));
        Assert.That(UatWire.TryParseRunKind("Diagnostic", out _), Is.False);
        Assert.That(WireName.TryParse<UatRole>("AI.READER", out _), Is.False);
        Assert.That(FaultNames.TryParse("connection reset", out var reset) ? reset : Fault.EmptyResponse, Is.EqualTo(Fault.ConnectionResetByPeer));
        Assert.That(FaultNames.TryParse(" malformed-response chunk ", out var chunk) ? chunk : Fault.EmptyResponse, Is.EqualTo(Fault.MalformedResponseChunk));
        Assert.That(FaultNames.TryParse("malformed body", out var body) ? body : Fault.EmptyResponse, Is.EqualTo(Fault.MalformedResponseChunk));
        Assert.That(FaultNames.TryParse("timeout", out _), Is.False);
        Assert.That(WireName.TryParseIgnoreCase<GateKind>("rollbac\u212A_rehearsal", out _), Is.False, "the Kelvin sign is not a k");
        Assert.That(WireName.TryParseIgnoreCase<Engine>("v1".AsSpan(), out var v1) ? v1 : Engine.V2, Is.EqualTo(Engine.V1));
    }
}
