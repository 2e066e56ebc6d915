using CanarySim.Core.Gating;
using static CanarySim.Core.Tests.Gating.UatJson;

namespace CanarySim.Core.Tests.Gating;

/// <summary>
/// The request checks at their boundaries: each limit is tried on the allowed side and one step past it,
/// and a refusal names the parameter (the CLI option) and the value it got.
/// </summary>
public sealed class ReleaseGateRequestTests
{
    private static readonly GateRequest Valid = new(10, 5000, 0.12, "phase8");

    private static ArgumentException Refused(GateRequest request) =>
        Assert.Throws<ArgumentException>(() => new ReleaseGate().Validate(request))!;

    private static void Accepted(GateRequest request) => Assert.DoesNotThrow(() => new ReleaseGate().Validate(request), request.ToString());

    [Test]
    public void An_sla_of_zero_is_allowed_and_anything_below_or_not_finite_is_refused()
    {
        Accepted(Valid with { LatencyP95SlaMs = 0 });
        Accepted(Valid with { LatencyP95SlaMs = 0.001 });
        foreach (var (sla, shown) in new[] { (-0.001, "-0.001"), (double.NaN, "NaN"), (double.PositiveInfinity, "Infinity"), (double.NegativeInfinity, "-Infinity") })
        {
            var error = Refused(Valid with { LatencyP95SlaMs = sla });
            Assert.That(error.ParamName, Is.EqualTo("latency-p95-sla-ms"));
            Assert.That(error.Message, Is.EqualTo($"latency p95 SLA must be a non-negative number of ms, got {shown} (Parameter 'latency-p95-sla-ms')"));
        }
    }

    [Test]
    public void A_baseline_rate_of_exactly_zero_or_one_is_allowed_and_just_outside_is_refused()
    {
        Accepted(Valid with { BaselineCorrectionRate = 0 });
        Accepted(Valid with { BaselineCorrectionRate = 1 });
        Accepted(Valid with { BaselineCorrectionRate = null });
        foreach (var (rate, shown) in new[] { (-0.0001, "-0.0001"), (1.0001, "1.0001"), (double.NaN, "NaN") })
        {
            var error = Refused(Valid with { BaselineCorrectionRate = rate });
            Assert.That(error.ParamName, Is.EqualTo("baseline-correction-rate"));
            Assert.That(error.Message, Is.EqualTo($"baseline correction rate must be between 0 and 1, got {shown} (Parameter 'baseline-correction-rate')"));
        }
    }

    [Test]
    public void A_label_of_1_to_120_safe_characters_is_allowed()
    {
        Accepted(Valid with { Label = "a" });
        Accepted(Valid with { Label = new string('x', 120) });
        Accepted(Valid with { Label = "Phase-8_rc.2" });
        Accepted(Valid with { Label = ".hidden" });
        Accepted(Valid with { Label = null });
        Assert.That(ReleaseGate.IsSafeLabel("a.b"), Is.True);
        Assert.That(ReleaseGate.IsSafeLabel("a_b"), Is.True);
        Assert.That(ReleaseGate.IsSafeLabel("a-b"), Is.True);
        Assert.That(ReleaseGate.IsSafeLabel("A9"), Is.True);
    }

    [Test]
    public void An_empty_too_long_dots_only_or_unsafe_label_is_refused_and_quoted()
    {
        foreach (var label in new[] { "", new string('x', 121), ".", "..", "a/b", "a b", "a\\b", "é", "a:b" })
        {
            Assert.That(ReleaseGate.IsSafeLabel(label), Is.False, label);
            var error = Refused(Valid with { Label = label });
            Assert.That(error.ParamName, Is.EqualTo("label"));
            Assert.That(error.Message, Is.EqualTo($"label \"{label}\" must be non-empty and use only letters, digits, '.', '_' or '-' (it names the report files) (Parameter 'label')"));
        }
    }

    [Test]
    public void An_unknown_stage_names_the_stages_there_are()
    {
        var error = Refused(Valid with { Stage = 15 });
        Assert.That(error.ParamName, Is.EqualTo("stage"));
        Assert.That(error.Message, Is.EqualTo("unknown stage 15; expected one of 10, 25, 50, 100 (Parameter 'stage')"));
    }

    [Test]
    public void A_null_request_is_refused()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new ReleaseGate().Validate(null!))!;
        Assert.That(error.ParamName, Is.EqualTo("request"));
    }

    [Test]
    public void Judge_checks_the_request_too()
    {
        var scorer = new FirstRunScorer();
        scorer.Add(Input("raw.json", Pair("FIN-01")));
        var error = Assert.Throws<ArgumentException>(() => new ReleaseGate().Judge(Valid with { LatencyP95SlaMs = -1 }, scorer))!;
        Assert.That(error.ParamName, Is.EqualTo("latency-p95-sla-ms"));
        Assert.That(new ReleaseGate().Judge(Valid, scorer).OverallGo, Is.True);
    }

    [Test]
    public void Evaluate_without_any_raw_artifact_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new ReleaseGate().Evaluate(Valid, []))!;
        Assert.That(error.ParamName, Is.EqualTo("raw"));
        Assert.That(error.Message, Is.EqualTo("at least one raw artifact is required (Parameter 'raw')"));
    }
}
