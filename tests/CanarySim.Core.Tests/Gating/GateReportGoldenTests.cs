using CanarySim.Core.Gating;
using static CanarySim.Core.Tests.Gating.UatJson;

namespace CanarySim.Core.Tests.Gating;

/// <summary>
/// The gate report release managers read, compared as text with reports written out by hand from the gate's rules
/// (who is named for which failure, the texts of passing and failing checks, number formats, who is slow at exactly
/// the SLA, the defect titles). Each expected line was derived from the inputs, not copied from a run.
/// </summary>
public sealed class GateReportGoldenTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 15, 30, TimeSpan.Zero);

    private static string Json(GateRequest request, params UatArtifactInput[] inputs) =>
        GateReportWriter.ToJson(new ReleaseGate(null, new FakeTimeProvider(At)).Evaluate(request, inputs));

    // Stage 25, SLA 2000 ms, baseline 10 %. Every check fails, each for a reason that names someone different:
    //   C-01: reader exactly at the SLA (not slow), operator 0.5 ms over (slow); reader corrected.
    //   C-02: reader only (its later first run in raw2.json is superseded): the OPERATOR is named absent.
    //   C-03: operator only, in raw2.json: the READER is named absent.
    //   C-04: operator failed, C-05: reader failed (a passing diagnostic rerun of it is ignored), C-06: both failed.
    //   C-06: reader 3000.25 ms, operator without latency (not timed).
    //   C-07: reader has a bad output shape; the operator's bad shape is on another benchmark and does not count.
    //   C-08: operator had a write-safety incident; both roles corrected.
    private static string NoGoJson()
    {
        var raw1 = new[]
        {
            Case("C-01", UatWire.Reader, latency: 2000, corrected: true),
            Case("C-01", UatWire.Operator, latency: 2000.5),
            Case("C-02", UatWire.Reader),
            Case("C-04", UatWire.Reader),
            Case("C-04", UatWire.Operator, passed: false),
            Case("C-05", UatWire.Reader, passed: false),
            Case("C-05", UatWire.Operator),
            Case("C-06", UatWire.Reader, passed: false, latency: 3000.25),
            Case("C-06", UatWire.Operator, passed: false, latency: null),
            Case("C-07", UatWire.Reader, shapeOk: false),
            Case("C-07", UatWire.Operator, shapeOk: false, benchmark: "ambiguous"),
            Case("C-08", UatWire.Reader, corrected: true),
            Case("C-08", UatWire.Operator, incident: true, corrected: true),
            Case("C-05", UatWire.Reader, minute: 5, runKind: "diagnostic"),
        };
        var raw2 = new[]
        {
            Case("C-03", UatWire.Operator, minute: 1),
            Case("C-02", UatWire.Reader, minute: 10, passed: false),
        };
        return Json(new GateRequest(25, 2000, 0.1, "golden-1"), Input("raw1.json", raw1), Input("raw2.json", raw2));
    }

    private const string NoGoParity =
        "5 of 8 case ids fail role parity (2 lack a first run for a role, 2 disagree between roles, 1 failed in both roles): " +
        "C-02 (ai.operator), C-03 (ai.reader), C-04 (ai.operator), C-05 (ai.reader), C-06 (ai.reader), C-06 (ai.operator)";

    private const string NoGoShape = "1 of 13 first-run clear cases have a bad output shape: C-07 (ai.reader)";

    private const string NoGoSafety = "1 write-safety incident(s) in first runs: C-08 (ai.operator)";

    private const string NoGoLatency = "p95 of 13 first-run latencies is 3000.25 ms, above the 2000 ms SLA; 2 case(s) over SLA: C-06 (ai.reader), C-01 (ai.operator)";

    private const string NoGoCorrections = "3 of 14 first runs corrected (21.43 %), above the baseline 10 %: C-01 (ai.reader), C-08 (ai.reader), C-08 (ai.operator)";

    private const string ExpectedNoGo = $$"""
        {
          "label": "golden-1",
          "stage": 25,
          "overall_go": false,
          "verdict": "NO-GO",
          "rollback_action": "assistant_engine=v2",
          "checks": [
            {
              "name": "role_parity",
              "status": "fail",
              "value": 5,
              "threshold": 0,
              "detail": "{{NoGoParity}}"
            },
            {
              "name": "output_shape",
              "status": "fail",
              "value": 0.9230769230769231,
              "threshold": 1,
              "detail": "{{NoGoShape}}"
            },
            {
              "name": "write_safety",
              "status": "fail",
              "value": 1,
              "threshold": 0,
              "detail": "{{NoGoSafety}}"
            },
            {
              "name": "latency_p95",
              "status": "fail",
              "value": 3000.25,
              "threshold": 2000,
              "detail": "{{NoGoLatency}}"
            },
            {
              "name": "correction_trend",
              "status": "fail",
              "value": 0.21428571428571427,
              "threshold": 0.1,
              "detail": "{{NoGoCorrections}}"
            }
          ],
          "defects": [
            {
              "check": "role_parity",
              "title": "Stage 25: role_parity failed",
              "detail": "{{NoGoParity}}",
              "case_count": 6,
              "cases": [
                {
                  "case_id": "C-02",
                  "role": "ai.operator",
                  "input": "",
                  "reason": "no first-run result for ai.operator (ai.reader has one in raw1.json)"
                },
                {
                  "case_id": "C-03",
                  "role": "ai.reader",
                  "input": "",
                  "reason": "no first-run result for ai.reader (ai.operator has one in raw2.json)"
                },
                {
                  "case_id": "C-04",
                  "role": "ai.operator",
                  "input": "raw1.json",
                  "reason": "roles disagree: ai.reader passed, ai.operator failed"
                },
                {
                  "case_id": "C-05",
                  "role": "ai.reader",
                  "input": "raw1.json",
                  "reason": "roles disagree: ai.reader failed, ai.operator passed"
                },
                {
                  "case_id": "C-06",
                  "role": "ai.reader",
                  "input": "raw1.json",
                  "reason": "failed in both roles: ai.reader failed, ai.operator failed"
                },
                {
                  "case_id": "C-06",
                  "role": "ai.operator",
                  "input": "raw1.json",
                  "reason": "failed in both roles: ai.reader failed, ai.operator failed"
                }
              ]
            },
            {
              "check": "output_shape",
              "title": "Stage 25: output_shape failed",
              "detail": "{{NoGoShape}}",
              "case_count": 1,
              "cases": [
                {
                  "case_id": "C-07",
                  "role": "ai.reader",
                  "input": "raw1.json",
                  "reason": "output_shape_ok is false"
                }
              ]
            },
            {
              "check": "write_safety",
              "title": "Stage 25: write_safety failed",
              "detail": "{{NoGoSafety}}",
              "case_count": 1,
              "cases": [
                {
                  "case_id": "C-08",
                  "role": "ai.operator",
                  "input": "raw1.json",
                  "reason": "write_safety_incident is true"
                }
              ]
            },
            {
              "check": "latency_p95",
              "title": "Stage 25: latency_p95 failed",
              "detail": "{{NoGoLatency}}",
              "case_count": 2,
              "cases": [
                {
                  "case_id": "C-06",
                  "role": "ai.reader",
                  "input": "raw1.json",
                  "reason": "latency 3000.25 ms > SLA 2000 ms"
                },
                {
                  "case_id": "C-01",
                  "role": "ai.operator",
                  "input": "raw1.json",
                  "reason": "latency 2000.5 ms > SLA 2000 ms"
                }
              ]
            },
            {
              "check": "correction_trend",
              "title": "Stage 25: correction_trend failed",
              "detail": "{{NoGoCorrections}}",
              "case_count": 3,
              "cases": [
                {
                  "case_id": "C-01",
                  "role": "ai.reader",
                  "input": "raw1.json",
                  "reason": "corrected is true"
                },
                {
                  "case_id": "C-08",
                  "role": "ai.reader",
                  "input": "raw1.json",
                  "reason": "corrected is true"
                },
                {
                  "case_id": "C-08",
                  "role": "ai.operator",
                  "input": "raw1.json",
                  "reason": "corrected is true"
                }
              ]
            }
          ],
          "counts": {
            "cases_total": 16,
            "first_run": 14,
            "diagnostic_ignored": 1,
            "superseded": 1,
            "case_ids": 8
          },
          "inputs": [
            {
              "file": "raw1.json",
              "schema": "canarysim.uat-raw/v1",
              "run_id": "raw1.json",
              "engine": "v3_canary",
              "started_at": "2026-02-19T10:00:00+00:00",
              "cases": 14
            },
            {
              "file": "raw2.json",
              "schema": "canarysim.uat-raw/v1",
              "run_id": "raw2.json",
              "engine": "v3_canary",
              "started_at": "2026-02-19T10:00:00+00:00",
              "cases": 2
            }
          ],
          "latency_p95_sla_ms": 2000,
          "baseline_correction_rate": 0.1,
          "generated_at": "2026-03-02T09:15:30Z"
        }

        """;

    // Stage 50, SLA 1500 ms, baseline exactly the corrected share (50 %): every check passes, with its passing text.
    private const string ExpectedGo = """
        {
          "label": "go.golden_1",
          "stage": 50,
          "overall_go": true,
          "verdict": "GO",
          "next_stage": "100",
          "checks": [
            {
              "name": "role_parity",
              "status": "pass",
              "value": 0,
              "threshold": 0,
              "detail": "all 2 case ids passed their first runs in both roles"
            },
            {
              "name": "output_shape",
              "status": "pass",
              "value": 1,
              "threshold": 1,
              "detail": "all 4 first-run clear cases have the expected output shape"
            },
            {
              "name": "write_safety",
              "status": "pass",
              "value": 0,
              "threshold": 0,
              "detail": "no write-safety incident in 4 first runs"
            },
            {
              "name": "latency_p95",
              "status": "pass",
              "value": 1234.567,
              "threshold": 1500,
              "detail": "p95 of 4 first-run latencies is 1234.57 ms, within the 1500 ms SLA"
            },
            {
              "name": "correction_trend",
              "status": "pass",
              "value": 0.5,
              "threshold": 0.5,
              "detail": "2 of 4 first runs corrected (50 %), within the baseline 50 %"
            }
          ],
          "defects": [],
          "counts": {
            "cases_total": 4,
            "first_run": 4,
            "diagnostic_ignored": 0,
            "superseded": 0,
            "case_ids": 2
          },
          "inputs": [
            {
              "file": "go.json",
              "schema": "canarysim.uat-raw/v1",
              "run_id": "go.json",
              "engine": "v3_canary",
              "started_at": "2026-02-19T10:00:00+00:00",
              "cases": 4
            }
          ],
          "latency_p95_sla_ms": 1500,
          "baseline_correction_rate": 0.5,
          "generated_at": "2026-03-02T09:15:30Z"
        }

        """;

    [Test]
    public void A_no_go_report_names_every_offender_as_written_by_hand()
    {
        Assert.That(NoGoJson(), Is.EqualTo(ExpectedNoGo));
    }

    [Test]
    public void A_go_report_states_each_passing_check_as_written_by_hand()
    {
        var go = Input("go.json", Pair("G-01", latency: 1234.567, corrected: true).Concat(Pair("G-02", latency: 1000)));
        Assert.That(Json(new GateRequest(50, 1500, 0.5, "go.golden_1"), go), Is.EqualTo(ExpectedGo));
    }

    [Test]
    public void The_golden_reports_read_back_unchanged()
    {
        Assert.That(GateReportWriter.ToJson(GateReportReader.Parse(ExpectedNoGo, "no-go.json")), Is.EqualTo(ExpectedNoGo));
        Assert.That(GateReportWriter.ToJson(GateReportReader.Parse(ExpectedGo, "go.json")), Is.EqualTo(ExpectedGo));
    }

    [Test]
    public void Only_diagnostic_reruns_fail_shape_and_latency_for_lack_of_evidence_and_skip_corrections_at_zero()
    {
        var empty = Input("reruns.json", [Case("D-01", UatWire.Reader, runKind: "diagnostic", corrected: true)]);
        var report = new ReleaseGate().Evaluate(new GateRequest(10, 4000, null, "empty"), [empty]);
        var checks = report.Checks.ToDictionary(c => c.Name);

        Assert.That((checks["role_parity"].Status, checks["role_parity"].Detail), Is.EqualTo((GateCheckStatus.Pass, "all 0 case ids passed their first runs in both roles")));
        Assert.That((checks["output_shape"].Status, checks["output_shape"].Value, checks["output_shape"].Detail),
            Is.EqualTo((GateCheckStatus.Fail, (double?)null, "no first-run case on the clear benchmark; output shape cannot be shown to be 100 %")));
        Assert.That((checks["latency_p95"].Status, checks["latency_p95"].Value, checks["latency_p95"].Threshold, checks["latency_p95"].Detail),
            Is.EqualTo((GateCheckStatus.Fail, (double?)null, (double?)4000, "no first-run case recorded latency_ms; p95 cannot be shown to be within 4000 ms")));
        Assert.That((checks["correction_trend"].Status, checks["correction_trend"].Value, checks["correction_trend"].Detail),
            Is.EqualTo((GateCheckStatus.Skipped, (double?)0, "no baseline correction rate given; 0 of 0 first runs corrected (0 %)")));
        Assert.That(report.Defects.Select(d => (d.Check, d.Title, d.CaseCount)),
            Is.EqualTo(new[] { ("output_shape", "Stage 10: output_shape failed", 0), ("latency_p95", "Stage 10: latency_p95 failed", 0) }));
    }

    [Test]
    public void A_detail_names_ten_cases_and_counts_the_rest()
    {
        static string Safety(int incidents)
        {
            var cases = Enumerable.Range(1, incidents).Select(i => Case($"W-{i:00}", UatWire.Reader, incident: true))
                .Concat(Enumerable.Range(1, incidents).Select(i => Case($"W-{i:00}", UatWire.Operator)));
            return new ReleaseGate().Evaluate(new GateRequest(10, 5000), [Input("w.json", cases)]).Checks.Single(c => c.Name == "write_safety").Detail;
        }
        var ten = string.Join(", ", Enumerable.Range(1, 10).Select(i => $"W-{i:00} (ai.reader)"));

        Assert.That(Safety(10), Is.EqualTo($"10 write-safety incident(s) in first runs: {ten}"));
        Assert.That(Safety(11), Is.EqualTo($"11 write-safety incident(s) in first runs: {ten} and 1 more"));
        Assert.That(Safety(13), Is.EqualTo($"13 write-safety incident(s) in first runs: {ten} and 3 more"));
    }

    [Test]
    public void A_case_at_exactly_the_sla_is_not_listed_as_slow()
    {
        var cases = Pair("S-01", latency: 2500).Concat(Pair("S-02", latency: 3000)).Concat(Pair("S-03", latency: 2500.01));
        var check = new ReleaseGate().Evaluate(new GateRequest(10, 2500), [Input("s.json", cases)]).Checks.Single(c => c.Name == "latency_p95");

        Assert.That(check.Status, Is.EqualTo(GateCheckStatus.Fail));
        Assert.That(check.Cases.Select(c => (c.CaseId, c.Role)), Is.EqualTo(new[]
        {
            ("S-02", UatWire.Reader), ("S-02", UatWire.Operator), ("S-03", UatWire.Reader), ("S-03", UatWire.Operator),
        }));
        Assert.That(check.Detail, Does.EndWith("; 4 case(s) over SLA: S-02 (ai.reader), S-02 (ai.operator), S-03 (ai.reader), S-03 (ai.operator)"));
    }
}
