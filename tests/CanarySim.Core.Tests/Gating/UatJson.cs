using System.Text;
using System.Text.Json.Nodes;
using CanarySim.Core.Gating;

namespace CanarySim.Core.Tests.Gating;

/// <summary>Builds raw artifacts for tests, reading like the JSON they produce.</summary>
internal static class UatJson
{
    public static readonly DateTimeOffset T0 = new(2026, 2, 19, 10, 0, 0, TimeSpan.Zero);

    public static JsonObject Case(string caseId, string role = UatWire.Reader, int minute = 0, bool passed = true, string? runKind = null,
        double? latency = 1000, bool shapeOk = true, bool incident = false, bool corrected = false, bool critical = false, string benchmark = "clear")
    {
        var c = new JsonObject
        {
            ["case_id"] = caseId,
            ["role"] = role,
            ["started_at"] = T0.AddMinutes(minute).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            ["passed"] = passed,
            ["output_shape_ok"] = shapeOk,
            ["write_safety_incident"] = incident,
            ["corrected"] = corrected,
            ["critical"] = critical,
            ["benchmark"] = benchmark,
        };
        if (runKind is not null)
        {
            c["run_kind"] = runKind;
        }
        if (latency is not null)
        {
            c["latency_ms"] = latency;
        }
        return c;
    }

    /// <summary>Both roles of a case, agreeing.</summary>
    public static IEnumerable<JsonObject> Pair(string caseId, int minute = 0, bool passed = true, double? latency = 1000, bool corrected = false, bool critical = false) =>
    [
        Case(caseId, UatWire.Reader, minute, passed, latency: latency, corrected: corrected, critical: critical),
        Case(caseId, UatWire.Operator, minute, passed, latency: latency, corrected: corrected, critical: critical),
    ];

    public static string Artifact(IEnumerable<JsonObject> cases, string runId = "uat-test", string schema = UatWire.SchemaV1) =>
        new JsonObject
        {
            ["schema"] = schema,
            ["run_id"] = runId,
            ["engine"] = "v3_canary",
            ["started_at"] = "2026-02-19T10:00:00Z",
            ["cases"] = new JsonArray(cases.Select(c => (JsonNode)c.DeepClone()).ToArray()),
        }.ToJsonString();

    public static UatArtifactInput Input(string name, string json) => UatArtifactInput.FromBytes(name, Encoding.UTF8.GetBytes(json));

    public static UatArtifactInput Input(string name, IEnumerable<JsonObject> cases) => Input(name, Artifact(cases, name));

    public static (UatArtifactHeader Header, IReadOnlyList<UatCase> Cases) Read(string json, int bufferBytes = GateOptions.DefaultReaderBufferBytes)
    {
        var reader = new UatArtifactReader(new MemoryStream(Encoding.UTF8.GetBytes(json)), "raw.json", bufferBytes);
        var cases = reader.ReadCases().ToList();
        return (reader.Header!, cases);
    }

    public static UatArtifactException ReadError(string json, int bufferBytes = GateOptions.DefaultReaderBufferBytes) =>
        Assert.Throws<UatArtifactException>(() => Read(json, bufferBytes))!;
}
