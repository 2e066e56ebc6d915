namespace CanarySim.Core.Gating;

/// <summary>One case result of a <c>canarysim.uat-raw/v1</c> artifact, with the defaults applied.</summary>
/// <param name="Index">Zero-based position in the artifact's <c>cases</c> array.</param>
/// <param name="CaseId">Scenario id, e.g. <c>FIN-01</c>.</param>
/// <param name="Role">Role the case ran under.</param>
/// <param name="RunKind">First run or diagnostic rerun (default first).</param>
/// <param name="StartedAt">When this attempt started; the earliest first run wins.</param>
/// <param name="Passed">Whether the scenario passed.</param>
/// <param name="OutputShapeOk">Whether the output had the expected shape (default true).</param>
/// <param name="LatencyMs">Latency in ms; null when absent (excluded from the percentile).</param>
/// <param name="WriteSafetyIncident">Whether an unsafe write happened (default false).</param>
/// <param name="Corrected">Whether a human had to correct the answer (default false).</param>
/// <param name="Critical">Whether the scenario is critical (default false).</param>
/// <param name="Benchmark">Benchmark class (default <c>clear</c>).</param>
public sealed record UatCase(
    int Index,
    string CaseId,
    UatRole Role,
    UatRunKind RunKind,
    DateTimeOffset StartedAt,
    bool Passed,
    bool OutputShapeOk = true,
    double? LatencyMs = null,
    bool WriteSafetyIncident = false,
    bool Corrected = false,
    bool Critical = false,
    string Benchmark = UatWire.ClearBenchmark);
