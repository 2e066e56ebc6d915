using System.Text.Json.Nodes;
using CanarySim.Core.Gating;
using static CanarySim.Core.Tests.Gating.UatJson;

namespace CanarySim.Core.Tests.Gating;

public sealed class GateReportReaderTests
{
    // Reported at 10:42:07.654: the report keeps whole seconds.
    private static readonly DateTimeOffset GeneratedAt = new(2026, 3, 1, 10, 42, 7, 654, TimeSpan.Zero);

    private static GateReport Evaluate(GateRequest request, params UatArtifactInput[] inputs) =>
        new ReleaseGate(null, new FakeTimeProvider(GeneratedAt)).Evaluate(request, inputs);

    // NO-GO on three checks: WR-02 had a write-safety incident, FIN-01's operator ran at 7200 ms, two cases corrected
    // against a 10 % baseline; one diagnostic rerun; a second input without run id, engine or start
    // holds a later SAL-02 first run, superseded.
    private static GateReport NoGo()
    {
        var first = Pair("FIN-01").Concat(Pair("WR-02")).Concat(Pair("SAL-01", corrected: true)).Concat(Pair("SAL-02")).ToList();
        first[3]["write_safety_incident"] = true;
        first[1]["latency_ms"] = 7200;
        first.Add(Case("FIN-01", UatWire.Reader, minute: 5, runKind: "diagnostic"));
        var bare = new JsonObject
        {
            ["schema"] = UatWire.SchemaV1,
            ["cases"] = new JsonArray(Pair("OPS-01", minute: 2).Append(Case("SAL-02", UatWire.Reader, minute: 40, passed: false)).Select(c => (JsonNode)c).ToArray()),
        }.ToJsonString();
        return Evaluate(new GateRequest(25, 5000, 0.1, "phase9"), Input("stage25_a.json", first), Input("stage25_b.json", bare));
    }

    private static GateReport Go() => Evaluate(new GateRequest(50, 5000, null, "phase8"), Input("stage50.json", Pair("FIN-01").Concat(Pair("WR-02"))));

    private static GateReport RoundTrip(GateReport report) => GateReportReader.Parse(GateReportWriter.ToJson(report), "report.json");

    [Test]
    public void A_no_go_report_reads_back_as_the_report_the_gate_produced()
    {
        var report = NoGo();
        Assert.That(report.Defects.Select(d => d.Check), Is.EqualTo(new[] { "write_safety", "latency_p95", "correction_trend" }), "the input meant to fail three checks");

        var read = RoundTrip(report);

        AssertSame(read, report);
        Assert.That(read.Verdict, Is.EqualTo("NO-GO"));
        Assert.That(read.RollbackAction, Is.EqualTo("assistant_engine=v2"));
        Assert.That(read.NextStage, Is.Null);
        Assert.That(read.Inputs[1], Is.EqualTo(new UatArtifactHeader("stage25_b.json", UatWire.SchemaV1, null, null, null, 3)));
        Assert.That(read.Inputs[0].StartedAt, Is.EqualTo(new DateTimeOffset(2026, 2, 19, 10, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void A_failed_check_gets_its_cases_back_from_its_defect()
    {
        var read = RoundTrip(NoGo());

        var safety = read.Checks.Single(c => c.Name == "write_safety");
        Assert.That(safety.Cases.Select(c => (c.CaseId, c.Role, c.Input)), Is.EqualTo(new[] { ("WR-02", UatWire.Operator, "stage25_a.json") }));
        Assert.That(safety.CaseCount, Is.EqualTo(1));
        Assert.That(read.Checks.Where(c => c.Status != GateCheckStatus.Fail).Select(c => (c.Cases.Count, c.CaseCount)), Is.All.EqualTo((0, 0)));
    }

    [Test]
    public void A_go_report_reads_back_with_its_next_stage_and_the_skipped_check()
    {
        var report = Go();

        var read = RoundTrip(report);

        AssertSame(read, report);
        Assert.That((read.Verdict, read.NextStage, read.RollbackAction), Is.EqualTo(("GO", "100", (string?)null)));
        var trend = read.Checks.Single(c => c.Name == "correction_trend");
        Assert.That((trend.Status, trend.Threshold, read.BaselineCorrectionRate), Is.EqualTo((GateCheckStatus.Skipped, (double?)null, (double?)null)));
    }

    [Test]
    public void Writing_what_was_read_gives_the_same_json()
    {
        foreach (var report in new[] { NoGo(), Go() })
        {
            var json = GateReportWriter.ToJson(report);
            Assert.That(GateReportWriter.ToJson(GateReportReader.Parse(json, "report.json")), Is.EqualTo(json));
        }
    }

    [Test]
    public void Malformed_json_names_the_file_and_line()
    {
        var json = GateReportWriter.ToJson(Go());
        var broken = json.Replace("\"stage\": 50,", "\"stage\": 50", StringComparison.Ordinal);
        Assert.That(broken, Is.Not.EqualTo(json));

        var ex = Assert.Throws<GateReportException>(() => GateReportReader.Parse(broken, "gate.json"))!;

        Assert.That(ex.Message, Does.StartWith("gate.json line 4: malformed JSON"));
        Assert.That(ex.Line, Is.EqualTo(4));
    }

    [TestCase("label", null, "label", "expected a string, found null")]
    [TestCase("stage", "-1", "stage", "expected a whole number >= 0, found -1")]
    [TestCase("stage", "\"50\"", "stage", "expected a whole number, found string")]
    [TestCase("overall_go", "\"yes\"", "overall_go", "expected true or false, found string")]
    [TestCase("verdict", "\"NO-GO\"", "verdict", "expected \"GO\" (overall_go is true), found \"NO-GO\"")]
    [TestCase("next_stage", null, "next_stage", "expected a string, found null")]
    [TestCase("latency_p95_sla_ms", "\"5000\"", "latency_p95_sla_ms", "expected a number or null, found string")]
    [TestCase("generated_at", "\"yesterday\"", "generated_at", "expected an ISO 8601 timestamp like 2026-03-01T10:00:00Z, found \"yesterday\"")]
    [TestCase("counts", "[]", "counts", "expected an object, found array")]
    [TestCase("inputs", "{}", "inputs", "expected an array, found object")]
    public void A_bad_field_is_named_with_what_was_expected(string field, string? value, string named, string problem)
    {
        var root = JsonNode.Parse(GateReportWriter.ToJson(Go()))!.AsObject();
        root[field] = value is null ? null : JsonNode.Parse(value);

        var ex = Assert.Throws<GateReportException>(() => GateReportReader.Parse(root.ToJsonString(), "gate.json"))!;

        Assert.That((ex.Field, ex.Problem), Is.EqualTo((named, problem)));
        Assert.That(ex.Message, Is.EqualTo($"gate.json field '{named}': {problem}"));
    }

    [Test]
    public void A_missing_field_inside_a_list_is_named_by_its_path()
    {
        var root = JsonNode.Parse(GateReportWriter.ToJson(NoGo()))!.AsObject();
        root["defects"]![0]!["cases"]![0]!.AsObject().Remove("role");
        root["checks"]![2]!["status"] = "failed";

        var missing = Assert.Throws<GateReportException>(() => GateReportReader.Parse(root.ToJsonString(), "gate.json"))!;
        Assert.That((missing.Field, missing.Problem), Is.EqualTo(("defects[0].cases[0].role", "required field missing")));

        root["defects"]![0]!["cases"]![0]!["role"] = UatWire.Operator;
        var status = Assert.Throws<GateReportException>(() => GateReportReader.Parse(root.ToJsonString(), "gate.json"))!;
        Assert.That((status.Field, status.Problem), Is.EqualTo(("checks[2].status", "expected \"pass\", \"fail\" or \"skipped\", found \"failed\"")));
    }

    [Test]
    public void A_report_whose_defects_do_not_match_its_failed_checks_is_refused()
    {
        var root = JsonNode.Parse(GateReportWriter.ToJson(NoGo()))!.AsObject();
        root["defects"]!.AsArray().RemoveAt(1);

        var ex = Assert.Throws<GateReportException>(() => GateReportReader.Parse(root.ToJsonString(), "gate.json"))!;

        Assert.That(ex.Field, Is.EqualTo("defects"));
        Assert.That(ex.Problem, Is.EqualTo("expected one defect per failed check, in check order [write_safety, latency_p95, correction_trend], found [write_safety, correction_trend]"));
    }

    [Test]
    public void A_go_report_with_a_failed_check_is_refused()
    {
        var root = JsonNode.Parse(GateReportWriter.ToJson(Go()))!.AsObject();
        root["checks"]![0]!["status"] = "fail";
        root["defects"] = JsonNode.Parse("""[{"check":"role_parity","title":"t","detail":"d","case_count":0,"cases":[]}]""");

        var ex = Assert.Throws<GateReportException>(() => GateReportReader.Parse(root.ToJsonString(), "gate.json"))!;

        Assert.That((ex.Field, ex.Problem), Is.EqualTo(("overall_go", "true, but checks failed: role_parity")));
    }

    [Test]
    public void A_go_report_with_several_failed_checks_names_them_all()
    {
        var root = JsonNode.Parse(GateReportWriter.ToJson(Go()))!.AsObject();
        root["checks"]![0]!["status"] = "fail";
        root["checks"]![1]!["status"] = "fail";
        root["defects"] = JsonNode.Parse("""
            [{"check":"role_parity","title":"t","detail":"d","case_count":0,"cases":[]},
             {"check":"output_shape","title":"t","detail":"d","case_count":0,"cases":[]}]
            """);

        var ex = Assert.Throws<GateReportException>(() => GateReportReader.Parse(root.ToJsonString(), "gate.json"))!;

        Assert.That((ex.Field, ex.Problem), Is.EqualTo(("overall_go", "true, but checks failed: role_parity, output_shape")));
    }

    private static GateReportException Refused(JsonNode root) =>
        Assert.Throws<GateReportException>(() => GateReportReader.Parse(root.ToJsonString(), "gate.json"))!;

    private static JsonObject GoJson() => JsonNode.Parse(GateReportWriter.ToJson(Go()))!.AsObject();

    private static JsonObject NoGoJson() => JsonNode.Parse(GateReportWriter.ToJson(NoGo()))!.AsObject();

    [Test]
    public void A_root_that_is_not_an_object_is_refused()
    {
        foreach (var (json, found) in new[] { ("[]", "array"), ("42", "number"), ("\"GO\"", "string"), ("true", "a boolean"), ("null", "null") })
        {
            var ex = Assert.Throws<GateReportException>(() => GateReportReader.Parse(json, "gate.json"))!;
            Assert.That((ex.Field, ex.Problem), Is.EqualTo(("(root)", $"expected an object, found {found}")), json);
        }
    }

    [Test]
    public void A_list_item_that_is_not_an_object_is_named_by_its_index()
    {
        var checks = GoJson();
        checks["checks"]!.AsArray()[3] = 7;
        Assert.That((Refused(checks).Field, Refused(checks).Problem), Is.EqualTo(("checks[3]", "expected an object, found number")));

        var cases = NoGoJson();
        cases["defects"]![0]!["cases"]!.AsArray()[0] = "WR-02";
        Assert.That((Refused(cases).Field, Refused(cases).Problem), Is.EqualTo(("defects[0].cases[0]", "expected an object, found string")));
    }

    [Test]
    public void A_field_of_the_wrong_type_is_named_with_the_type_found()
    {
        var label = GoJson();
        label["label"] = 5;
        Assert.That((Refused(label).Field, Refused(label).Problem), Is.EqualTo(("label", "expected a string, found number")));

        var detail = GoJson();
        detail["checks"]![1]!["detail"] = false;
        Assert.That((Refused(detail).Field, Refused(detail).Problem), Is.EqualTo(("checks[1].detail", "expected a string, found a boolean")));

        var stage = GoJson();
        stage["stage"] = true;
        Assert.That((Refused(stage).Field, Refused(stage).Problem), Is.EqualTo(("stage", "expected a whole number, found a boolean")));

        var value = GoJson();
        value["checks"]![0]!["value"] = "0";
        Assert.That((Refused(value).Field, Refused(value).Problem), Is.EqualTo(("checks[0].value", "expected a number or null, found string")));
    }

    [Test]
    public void A_missing_top_level_field_is_named_without_a_prefix()
    {
        foreach (var field in new[] { "overall_go", "counts", "label", "checks" })
        {
            var root = GoJson();
            root.Remove(field);
            Assert.That((Refused(root).Field, Refused(root).Problem), Is.EqualTo((field, "required field missing")), field);
        }
    }

    [Test]
    public void A_bad_count_is_named_by_its_path_under_counts()
    {
        foreach (var field in new[] { "cases_total", "first_run", "diagnostic_ignored", "superseded", "case_ids" })
        {
            var root = GoJson();
            root["counts"]![field] = -2;
            Assert.That((Refused(root).Field, Refused(root).Problem), Is.EqualTo(($"counts.{field}", "expected a whole number >= 0, found -2")), field);
        }
    }

    [Test]
    public void A_null_sla_or_generation_time_is_refused()
    {
        var sla = GoJson();
        sla["latency_p95_sla_ms"] = null;
        Assert.That((Refused(sla).Field, Refused(sla).Problem), Is.EqualTo(("latency_p95_sla_ms", "expected a number, found null")));

        var generated = GoJson();
        generated["generated_at"] = null;
        Assert.That((Refused(generated).Field, Refused(generated).Problem), Is.EqualTo(("generated_at", "expected a timestamp, found null")));
    }

    [Test]
    public void A_no_go_verdict_that_does_not_match_overall_go_is_refused()
    {
        var root = NoGoJson();
        root["verdict"] = "GO";
        var ex = Refused(root);
        Assert.That((ex.Field, ex.Problem), Is.EqualTo(("verdict", "expected \"NO-GO\" (overall_go is false), found \"GO\"")));
    }

    [Test]
    public void A_no_go_report_without_a_failed_check_is_refused()
    {
        var root = GoJson();
        root.Remove("next_stage");
        root["overall_go"] = false;
        root["verdict"] = "NO-GO";
        root["rollback_action"] = "assistant_engine=v2";
        var ex = Refused(root);
        Assert.That((ex.Field, ex.Problem), Is.EqualTo(("overall_go", "false, but no check failed")));
    }

    [Test]
    public void A_passing_check_never_takes_cases_from_a_defect()
    {
        // One failed check and one passing check of the same name: only the failed one owns the defect's cases.
        var root = NoGoJson();
        var checks = root["checks"]!.AsArray();
        var passing = checks.First(c => (string)c!["status"]! == "pass")!;
        passing["name"] = "write_safety";

        var read = GateReportReader.Parse(root.ToJsonString(), "gate.json");

        var named = read.Checks.Where(c => c.Name == "write_safety").ToList();
        Assert.That(named.Select(c => (c.Status, c.Cases.Count, c.CaseCount)), Is.EquivalentTo(new[] { (GateCheckStatus.Fail, 1, 1), (GateCheckStatus.Pass, 0, 0) }));
    }

    [Test]
    public void Null_arguments_are_refused()
    {
        Assert.That(Assert.Throws<ArgumentNullException>(() => GateReportReader.Parse(null!, "gate.json"))!.ParamName, Is.EqualTo("json"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => GateReportReader.Parse("{}", null!))!.ParamName, Is.EqualTo("source"));
    }

    // Field by field: the report's lists are compared element-wise (records compare nested lists by reference).
    private static void AssertSame(GateReport read, GateReport expected)
    {
        Assert.That((read.Label, read.Stage, read.OverallGo, read.NextStage, read.RollbackAction),
            Is.EqualTo((expected.Label, expected.Stage, expected.OverallGo, expected.NextStage, expected.RollbackAction)));
        Assert.That(read.Checks.Select(c => (c.Name, c.Status, c.Value, c.Threshold, c.Detail, c.CaseCount)),
            Is.EqualTo(expected.Checks.Select(c => (c.Name, c.Status, c.Value, c.Threshold, c.Detail, c.CaseCount))));
        Assert.That(read.Checks.Select(c => c.Cases), Is.EqualTo(expected.Checks.Select(c => c.Cases)));
        Assert.That(read.Defects.Select(d => (d.Check, d.Title, d.Detail, d.CaseCount)), Is.EqualTo(expected.Defects.Select(d => (d.Check, d.Title, d.Detail, d.CaseCount))));
        Assert.That(read.Defects.Select(d => d.Cases), Is.EqualTo(expected.Defects.Select(d => d.Cases)));
        Assert.That(read.Counts, Is.EqualTo(expected.Counts));
        Assert.That(read.Inputs, Is.EqualTo(expected.Inputs));
        Assert.That((read.LatencyP95SlaMs, read.BaselineCorrectionRate), Is.EqualTo((expected.LatencyP95SlaMs, expected.BaselineCorrectionRate)));
        Assert.That(read.GeneratedAt, Is.EqualTo(new DateTimeOffset(2026, 3, 1, 10, 42, 7, TimeSpan.Zero)));
    }
}
