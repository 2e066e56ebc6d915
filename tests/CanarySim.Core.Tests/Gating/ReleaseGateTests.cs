using System.Text.Json.Nodes;
using CanarySim.Core.Gating;
using static CanarySim.Core.Tests.Gating.UatJson;

namespace CanarySim.Core.Tests.Gating;

public sealed class ReleaseGateTests
{
    private static readonly GateRequest Stage10 = new(10, 5000, 0.12, "phase8");

    private static GateReport Gate(GateRequest request, params UatArtifactInput[] inputs) => new ReleaseGate().Evaluate(request, inputs);

    private static GateReport Gate(params IEnumerable<JsonObject>[] files) =>
        Gate(Stage10, files.Select((f, i) => Input($"raw{i + 1}.json", f)).ToArray());

    private static IEnumerable<JsonObject> Healthy(int ids = 10) => Enumerable.Range(1, ids).SelectMany(i => Pair($"FIN-{i:00}", i));

    private static GateCheck Check(GateReport report, string name) => report.Checks.Single(c => c.Name == name);

    [Test]
    public void Healthy_stage_is_go_with_next_stage_and_all_checks()
    {
        var report = Gate(Healthy());
        Assert.That(report.OverallGo, Is.True);
        Assert.That(report.NextStage, Is.EqualTo("25"));
        Assert.That(report.RollbackAction, Is.Null);
        Assert.That(report.Defects, Is.Empty);
        Assert.That(report.Checks.Select(c => c.Name), Is.EqualTo(new[] { "role_parity", "output_shape", "write_safety", "latency_p95", "correction_trend" }));
        Assert.That(report.Checks.Select(c => c.Status), Is.All.EqualTo(GateCheckStatus.Pass));
        Assert.That(report.Counts, Is.EqualTo(new GateCounts(20, 20, 0, 0, 10)));
    }

    [TestCase(10, "25")]
    [TestCase(25, "50")]
    [TestCase(50, "100")]
    [TestCase(100, "hold_100pct_monitor")]
    public void Go_names_the_next_stage(int stage, string next)
    {
        var report = Gate(Stage10 with { Stage = stage }, Input("raw.json", Healthy()));
        Assert.That(report.NextStage, Is.EqualTo(next));
        Assert.That(report.FileStem, Is.EqualTo($"phase8_release_gate_stage{stage}"));
    }

    [Test]
    public void No_go_names_the_rollback_and_one_defect_per_failed_check()
    {
        var cases = Healthy().ToList();
        cases[0]["write_safety_incident"] = true;   // FIN-01 reader
        cases[3]["latency_ms"] = 9000;              // FIN-02 operator
        cases[5]["latency_ms"] = 9100;              // FIN-03 operator
        var report = Gate(cases);
        Assert.That(report.OverallGo, Is.False);
        Assert.That(report.NextStage, Is.Null);
        Assert.That(report.RollbackAction, Is.EqualTo("assistant_engine=v2"));
        Assert.That(report.Defects.Select(d => d.Check), Is.EqualTo(new[] { "write_safety", "latency_p95" }));
        Assert.That(report.Defects[0].Cases.Select(c => (c.CaseId, c.Role)), Is.EqualTo(new[] { ("FIN-01", "ai.reader") }));
        Assert.That(report.Defects[1].Cases.Select(c => c.CaseId), Is.EqualTo(new[] { "FIN-03", "FIN-02" }));
    }

    [Test]
    public void Role_parity_fails_when_a_role_is_missing()
    {
        var cases = Healthy().Where(c => !((string)c["case_id"]! == "FIN-04" && (string)c["role"]! == UatWire.Operator));
        var check = Check(Gate(cases), "role_parity");
        Assert.That(check.Status, Is.EqualTo(GateCheckStatus.Fail));
        Assert.That(check.Value, Is.EqualTo(1));
        Assert.That(check.Cases.Single().CaseId, Is.EqualTo("FIN-04"));
        Assert.That(check.Cases.Single().Role, Is.EqualTo(UatWire.Operator));
        Assert.That(check.Cases.Single().Reason, Does.StartWith("no first-run result for ai.operator"));
    }

    [Test]
    public void A_missing_role_names_the_file_of_the_other_role_by_its_name_as_the_report_does_elsewhere()
    {
        var cases = Healthy().Where(c => !((string)c["case_id"]! == "FIN-04" && (string)c["role"]! == UatWire.Operator));
        var report = Gate(Stage10, Input(Path.Combine("/builds", "agent-7", "uat", "stage10_raw1.json"), cases));
        Assert.That(Check(report, "role_parity").Cases.Single().Reason, Is.EqualTo("no first-run result for ai.operator (ai.reader has one in stage10_raw1.json)"));
    }

    [Test]
    public void Role_parity_fails_when_roles_disagree_on_passed()
    {
        var cases = Healthy().ToList();
        cases[7]["passed"] = false; // FIN-04 operator
        var check = Check(Gate(cases), "role_parity");
        Assert.That(check.Status, Is.EqualTo(GateCheckStatus.Fail));
        Assert.That(check.Cases.Single().Reason, Is.EqualTo("roles disagree: ai.reader passed, ai.operator failed"));
    }

    [Test]
    public void Role_parity_fails_when_both_roles_fail_their_first_run()
    {
        var cases = Healthy().ToList();
        cases[6]["passed"] = false; // FIN-04 reader
        cases[7]["passed"] = false; // FIN-04 operator
        var report = Gate(cases);
        var check = Check(report, "role_parity");
        Assert.That(check.Status, Is.EqualTo(GateCheckStatus.Fail));
        Assert.That(report.OverallGo, Is.False);
        Assert.That(check.Value, Is.EqualTo(1));
        Assert.That(check.Cases.Select(c => (c.CaseId, c.Role, c.Reason)), Is.EqualTo(new[]
        {
            ("FIN-04", "ai.reader", "failed in both roles: ai.reader failed, ai.operator failed"),
            ("FIN-04", "ai.operator", "failed in both roles: ai.reader failed, ai.operator failed"),
        }));
        Assert.That(check.Detail, Does.Contain("1 failed in both roles").And.Contain("0 disagree between roles"));
    }

    [Test]
    public void Role_parity_detail_tells_disagreement_from_both_failed()
    {
        var cases = Healthy().ToList();
        cases[0]["passed"] = false; // FIN-01 reader only: the roles disagree
        cases[6]["passed"] = false; // FIN-04 both roles
        cases[7]["passed"] = false;
        var check = Check(Gate(cases), "role_parity");
        Assert.That(check.Value, Is.EqualTo(2));
        Assert.That(check.Cases.Select(c => (c.CaseId, c.Role, c.Reason)), Is.EqualTo(new[]
        {
            ("FIN-01", "ai.reader", "roles disagree: ai.reader failed, ai.operator passed"),
            ("FIN-04", "ai.reader", "failed in both roles: ai.reader failed, ai.operator failed"),
            ("FIN-04", "ai.operator", "failed in both roles: ai.reader failed, ai.operator failed"),
        }));
        Assert.That(check.Detail, Does.Contain("1 disagree between roles").And.Contain("1 failed in both roles"));
    }

    [Test]
    public void A_passing_diagnostic_rerun_cannot_rescue_a_failed_first_run()
    {
        var cases = Healthy().ToList();
        cases[7]["passed"] = false;
        cases.Add(Case("FIN-04", UatWire.Operator, minute: 90, passed: true, runKind: "diagnostic"));
        var report = Gate(cases);
        Assert.That(report.OverallGo, Is.False);
        Assert.That(report.Counts.DiagnosticIgnored, Is.EqualTo(1));
    }

    [Test]
    public void A_diagnostic_rerun_cannot_stand_in_for_a_missing_first_run()
    {
        var cases = Healthy().Where(c => (string)c["case_id"]! != "FIN-02" || (string)c["role"]! != UatWire.Reader).ToList();
        cases.Add(Case("FIN-02", UatWire.Reader, minute: 90, runKind: "rerun"));
        Assert.That(Check(Gate(cases), "role_parity").Status, Is.EqualTo(GateCheckStatus.Fail));
    }

    [Test]
    public void Earliest_first_run_across_files_wins_and_later_ones_are_superseded()
    {
        var early = new[] { Case("FIN-01", UatWire.Reader, minute: 1, passed: false), Case("FIN-01", UatWire.Operator, minute: 1, passed: false) };
        var late = new[] { Case("FIN-01", UatWire.Reader, minute: 30, passed: true), Case("FIN-01", UatWire.Operator, minute: 30, passed: true, latency: 99999) };
        // Given in either order, the 10:01 runs are scored; the 10:30 runs are superseded (their huge latency ignored).
        foreach (var report in new[] { Gate(late, early), Gate(early, late) })
        {
            Assert.That(report.Counts, Is.EqualTo(new GateCounts(4, 2, 0, 2, 1)));
            Assert.That(Check(report, "latency_p95").Value, Is.EqualTo(1000));
        }
    }

    [Test]
    public void Same_start_time_breaks_ties_by_input_name_not_order()
    {
        var a = new[] { Case("FIN-01", UatWire.Reader, passed: true), Case("FIN-01", UatWire.Operator, passed: true) };
        var b = new[] { Case("FIN-01", UatWire.Reader, passed: false), Case("FIN-01", UatWire.Operator, passed: true) };
        var one = Gate(Stage10, Input("a.json", a), Input("b.json", b));
        var two = Gate(Stage10, Input("b.json", b), Input("a.json", a));
        Assert.That(one.OverallGo, Is.True);
        Assert.That(two.OverallGo, Is.True);
    }

    [Test]
    public void Output_shape_must_be_100_percent_on_clear_cases_only()
    {
        var cases = Healthy(4).ToList();
        cases.Add(Case("PUR-02", UatWire.Reader, shapeOk: false, benchmark: "ambiguous"));
        cases.Add(Case("PUR-02", UatWire.Operator, shapeOk: false, benchmark: "ambiguous"));
        Assert.That(Check(Gate(cases), "output_shape").Status, Is.EqualTo(GateCheckStatus.Pass));

        cases[2]["output_shape_ok"] = false;
        var check = Check(Gate(cases), "output_shape");
        Assert.That(check.Status, Is.EqualTo(GateCheckStatus.Fail));
        Assert.That(check.Value, Is.EqualTo(7.0 / 8));
        Assert.That(check.Threshold, Is.EqualTo(1));
        Assert.That(check.Cases.Single().CaseId, Is.EqualTo("FIN-02"));
    }

    [Test]
    public void Output_shape_without_any_clear_case_fails_for_lack_of_evidence()
    {
        var cases = new[] { Case("PUR-02", UatWire.Reader, benchmark: "ambiguous"), Case("PUR-02", UatWire.Operator, benchmark: "ambiguous") };
        var check = Check(Gate(cases), "output_shape");
        Assert.That(check.Status, Is.EqualTo(GateCheckStatus.Fail));
        Assert.That(check.Value, Is.Null);
    }

    [Test]
    public void Write_safety_fails_on_a_single_incident()
    {
        var cases = Healthy().ToList();
        cases[19]["write_safety_incident"] = true;
        var check = Check(Gate(cases), "write_safety");
        Assert.That(check.Status, Is.EqualTo(GateCheckStatus.Fail));
        Assert.That(check.Value, Is.EqualTo(1));
        Assert.That(check.Threshold, Is.EqualTo(0));
    }

    [Test]
    public void Latency_p95_is_nearest_rank_and_exactly_at_sla_passes()
    {
        // 20 first runs: rank ceil(0.95*20) = 19 → the 19th smallest value.
        var cases = Enumerable.Range(1, 10).SelectMany(i => new[]
        {
            Case($"C-{i:00}", UatWire.Reader, i, latency: i * 100),
            Case($"C-{i:00}", UatWire.Operator, i, latency: i * 100 + 50),
        }).ToList();
        cases[19]["latency_ms"] = 60000; // the max, excluded by p95
        cases[18]["latency_ms"] = 5000;  // the 19th: exactly at SLA
        var check = Check(Gate(cases), "latency_p95");
        Assert.That(check.Value, Is.EqualTo(5000));
        Assert.That(check.Status, Is.EqualTo(GateCheckStatus.Pass));

        cases[18]["latency_ms"] = 5000.5;
        Assert.That(Check(Gate(cases), "latency_p95").Status, Is.EqualTo(GateCheckStatus.Fail));
    }

    [TestCase(new double[] { 7 }, 95, 7)]
    [TestCase(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 95, 10)]
    [TestCase(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 50, 5)]
    [TestCase(new double[] { 15, 20, 35, 40, 50 }, 30, 20)]
    public void Nearest_rank_percentile(double[] values, double p, double expected) =>
        Assert.That(ReleaseGate.NearestRank(values, p), Is.EqualTo(expected));

    [Test]
    public void Cases_without_latency_are_excluded_and_no_latency_at_all_fails()
    {
        var cases = Healthy(2).ToList();
        cases[0].Remove("latency_ms");
        Assert.That(Check(Gate(cases), "latency_p95").Status, Is.EqualTo(GateCheckStatus.Pass));
        foreach (var c in cases)
        {
            c.Remove("latency_ms");
        }
        var check = Check(Gate(cases), "latency_p95");
        Assert.That(check.Status, Is.EqualTo(GateCheckStatus.Fail));
        Assert.That(check.Value, Is.Null);
    }

    [Test]
    public void Correction_trend_compares_share_with_baseline_and_is_skipped_without_one()
    {
        var cases = Healthy(5).ToList(); // 10 first runs
        cases[0]["corrected"] = true;
        var atBaseline = Gate(Stage10 with { BaselineCorrectionRate = 0.1 }, Input("r.json", cases));
        Assert.That(Check(atBaseline, "correction_trend").Status, Is.EqualTo(GateCheckStatus.Pass));
        Assert.That(Check(atBaseline, "correction_trend").Value, Is.EqualTo(0.1));

        cases[1]["corrected"] = true;
        var above = Gate(Stage10 with { BaselineCorrectionRate = 0.1 }, Input("r.json", cases));
        Assert.That(Check(above, "correction_trend").Status, Is.EqualTo(GateCheckStatus.Fail));
        Assert.That(above.Defects.Single().Cases, Has.Count.EqualTo(2));

        var skipped = Gate(Stage10 with { BaselineCorrectionRate = null }, Input("r.json", cases));
        Assert.That(Check(skipped, "correction_trend").Status, Is.EqualTo(GateCheckStatus.Skipped));
        Assert.That(Check(skipped, "correction_trend").Threshold, Is.Null);
        Assert.That(skipped.OverallGo, Is.True);
    }

    [Test]
    public void Defect_case_lists_are_capped_but_counted()
    {
        var cases = Healthy(30).ToList();
        foreach (var c in cases)
        {
            c["write_safety_incident"] = true;
        }
        var report = new ReleaseGate(new GateOptions { MaxCasesPerDefect = 5 }).Evaluate(Stage10, [Input("r.json", cases)]);
        Assert.That(report.Defects.Single().Cases, Has.Count.EqualTo(5));
        Assert.That(report.Defects.Single().CaseCount, Is.EqualTo(60));
    }

    [TestCase(15, 5000, 0.1, null, "unknown stage 15; expected one of 10, 25, 50, 100")]
    [TestCase(10, -1, 0.1, null, "latency p95 SLA must be a non-negative number of ms, got -1")]
    [TestCase(10, 5000, 1.5, null, "baseline correction rate must be between 0 and 1, got 1.5")]
    [TestCase(10, 5000, -0.1, null, "baseline correction rate must be between 0 and 1, got -0.1")]
    [TestCase(10, 5000, 0.1, "../evil", "label \"../evil\" must be non-empty")]
    public void Bad_requests_are_rejected_before_reading(int stage, double sla, double rate, string? label, string message)
    {
        var opened = false;
        var input = new UatArtifactInput("r.json", () => { opened = true; return new MemoryStream(); });
        var error = Assert.Throws<ArgumentException>(() => new ReleaseGate().Evaluate(new GateRequest(stage, sla, rate, label), [input]))!;
        Assert.That(error.Message, Does.StartWith(message));
        Assert.That(opened, Is.False);
    }

    [Test]
    public void Bad_input_in_a_later_file_fails_the_whole_run()
    {
        Assert.Throws<UatArtifactException>(() => Gate(Stage10, Input("good.json", Healthy()), Input("bad.json", "{")));
    }

    [Test]
    public void Unopenable_input_is_an_artifact_error_naming_the_file()
    {
        var input = new UatArtifactInput("missing.json", () => throw new FileNotFoundException("not found"));
        var error = Assert.Throws<UatArtifactException>(() => Gate(Stage10, input))!;
        Assert.That(error.Message, Does.StartWith("missing.json: could not be opened"));
    }

    [Test]
    public void Default_label_is_canary_and_generated_at_comes_from_the_clock()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 2, 19, 12, 0, 0, TimeSpan.Zero));
        var report = new ReleaseGate(time: clock).Evaluate(new GateRequest(10, 5000), [Input("r.json", Healthy())]);
        Assert.That(report.Label, Is.EqualTo("canary"));
        Assert.That(report.GeneratedAt, Is.EqualTo(clock.GetUtcNow()));
    }
}
