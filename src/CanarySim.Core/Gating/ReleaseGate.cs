using System.Globalization;

namespace CanarySim.Core.Gating;

/// <summary>
/// The release gate: reads every raw artifact (streaming), scores first runs only and runs the
/// five checks; GO names the next stage, NO-GO the rollback action and one defect per failed check.
/// A pure judge: same inputs, same verdict, whatever their order.
/// </summary>
public sealed class ReleaseGate
{
    /// <summary>Check names, in report order.</summary>
    public const string RoleParity = "role_parity", OutputShape = "output_shape", WriteSafety = "write_safety", LatencyP95 = "latency_p95", CorrectionTrend = "correction_trend";

    private readonly GateOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a gate with <paramref name="options"/> (defaults when null) and a clock for <see cref="GateReport.GeneratedAt"/>.</summary>
    public ReleaseGate(GateOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new GateOptions();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Checks a request before any artifact is read; throws <see cref="ArgumentException"/> naming the bad value.</summary>
    public void Validate(GateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_options.Stages.Contains(request.Stage))
        {
            throw new ArgumentException($"unknown stage {request.Stage}; expected one of {string.Join(", ", _options.Stages)}", "stage");
        }
        if (!(request.LatencyP95SlaMs >= 0) || !double.IsFinite(request.LatencyP95SlaMs))
        {
            throw new ArgumentException($"latency p95 SLA must be a non-negative number of ms, got {request.LatencyP95SlaMs.ToString(CultureInfo.InvariantCulture)}", "latency-p95-sla-ms");
        }
        if (request.BaselineCorrectionRate is { } rate && !(rate >= 0 && rate <= 1))
        {
            throw new ArgumentException($"baseline correction rate must be between 0 and 1, got {rate.ToString(CultureInfo.InvariantCulture)}", "baseline-correction-rate");
        }
        if (request.Label is { } label && !IsSafeLabel(label))
        {
            throw new ArgumentException($"label \"{label}\" must be non-empty and use only letters, digits, '.', '_' or '-' (it names the report files)", "label");
        }
    }

    /// <summary>True when <paramref name="label"/> can be part of a report file name.</summary>
    public static bool IsSafeLabel(string label) =>
        label.Length > 0 && label.Length <= 120 && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') && label.Trim('.').Length > 0;

    /// <summary>
    /// Reads every input and judges the stage. Throws <see cref="ArgumentException"/> for a bad
    /// request and <see cref="UatArtifactException"/> for bad input (before any report exists).
    /// </summary>
    public GateReport Evaluate(GateRequest request, IEnumerable<UatArtifactInput> inputs)
    {
        Validate(request);
        var scorer = new FirstRunScorer();
        foreach (var input in inputs)
        {
            scorer.Add(input);
        }
        if (scorer.Inputs.Count == 0)
        {
            throw new ArgumentException("at least one raw artifact is required", "raw");
        }
        return Judge(request, scorer);
    }

    /// <summary>Judges already-scored first runs (for callers that feed <see cref="FirstRunScorer"/> themselves).</summary>
    public GateReport Judge(GateRequest request, FirstRunScorer scorer)
    {
        Validate(request);
        var winners = scorer.Winners();
        var checks = new List<GateCheck>
        {
            CheckRoleParity(winners),
            CheckOutputShape(winners),
            CheckWriteSafety(winners),
            CheckLatency(winners, request.LatencyP95SlaMs),
            CheckCorrections(winners, request.BaselineCorrectionRate),
        };
        var go = checks.All(c => c.Status != GateCheckStatus.Fail);
        var defects = checks.Where(c => c.Status == GateCheckStatus.Fail)
            .Select(c => new GateDefect(c.Name, $"Stage {request.Stage}: {c.Name} failed", c.Detail, c.Cases, c.CaseCount))
            .ToList();
        var counts = new GateCounts(scorer.CasesTotal, winners.Count, scorer.DiagnosticIgnored, scorer.Superseded,
            winners.Select(w => w.Case.CaseId).Distinct(StringComparer.Ordinal).Count());
        return new GateReport(
            request.Label ?? _options.DefaultLabel,
            request.Stage,
            go,
            checks,
            go ? _options.NextStage(request.Stage) : null,
            go ? null : _options.RollbackAction,
            defects,
            counts,
            scorer.Inputs.ToList(),
            request.LatencyP95SlaMs,
            request.BaselineCorrectionRate,
            _time.GetUtcNow());
    }

    private GateCheck Build(string name, bool pass, double? value, double? threshold, string detail, List<GateCaseRef> cases) =>
        new(name, pass ? GateCheckStatus.Pass : GateCheckStatus.Fail, value, threshold, detail,
            pass ? [] : cases.Take(_options.MaxCasesPerDefect).ToList(), pass ? 0 : cases.Count);

    // Every case id has a first run for both roles and both first runs passed. A case whose roles
    // disagree and a case that failed in both roles both fail the check; the reason says which.
    private GateCheck CheckRoleParity(IReadOnlyList<ScoredCase> winners)
    {
        var offenders = new List<GateCaseRef>();
        int ids = 0, missing = 0, disagree = 0, bothFailed = 0;
        foreach (var group in winners.GroupBy(w => w.Case.CaseId, StringComparer.Ordinal))
        {
            ids++;
            var reader = group.FirstOrDefault(w => w.Case.Role == UatRole.Reader);
            var op = group.FirstOrDefault(w => w.Case.Role == UatRole.Operator);
            if (reader is null || op is null)
            {
                missing++;
                var absent = reader is null ? UatWire.Reader : UatWire.Operator;
                var present = (reader ?? op)!;
                offenders.Add(new GateCaseRef(group.Key, absent, "", $"no first-run result for {absent} ({WireName.Of(present.Case.Role)} has one in {Path.GetFileName(present.Source)})"));
                continue;
            }
            if (reader.Case.Passed && op.Case.Passed)
            {
                continue;
            }
            var outcome = $"{UatWire.Reader} {PassedWord(reader)}, {UatWire.Operator} {PassedWord(op)}";
            if (reader.Case.Passed != op.Case.Passed)
            {
                disagree++;
                var failing = reader.Case.Passed ? op : reader;
                offenders.Add(new GateCaseRef(group.Key, WireName.Of(failing.Case.Role), failing.Source, $"roles disagree: {outcome}"));
            }
            else
            {
                bothFailed++;
                offenders.Add(new GateCaseRef(group.Key, UatWire.Reader, reader.Source, $"failed in both roles: {outcome}"));
                offenders.Add(new GateCaseRef(group.Key, UatWire.Operator, op.Source, $"failed in both roles: {outcome}"));
            }
        }
        var violations = missing + disagree + bothFailed;
        var detail = violations == 0
            ? $"all {ids} case ids passed their first runs in both roles"
            : $"{violations} of {ids} case ids fail role parity ({missing} lack a first run for a role, {disagree} disagree between roles, " +
              $"{bothFailed} failed in both roles): {Names(offenders)}";
        return Build(RoleParity, violations == 0, violations, 0, detail, offenders);
    }

    private static string PassedWord(ScoredCase c) => c.Case.Passed ? "passed" : "failed";

    // Output shape must be 100 % on the clear benchmark.
    private GateCheck CheckOutputShape(IReadOnlyList<ScoredCase> winners)
    {
        var clear = winners.Where(w => w.Case.Benchmark == UatWire.ClearBenchmark).ToList();
        var bad = clear.Where(w => !w.Case.OutputShapeOk)
            .Select(w => new GateCaseRef(w.Case.CaseId, WireName.Of(w.Case.Role), w.Source, "output_shape_ok is false")).ToList();
        if (clear.Count == 0)
        {
            // No evidence is not a pass: the runbook requires 100 % on clear, which needs clear cases.
            return Build(OutputShape, false, null, 1, "no first-run case on the clear benchmark; output shape cannot be shown to be 100 %", []);
        }
        var share = (double)(clear.Count - bad.Count) / clear.Count;
        var detail = bad.Count == 0
            ? $"all {clear.Count} first-run clear cases have the expected output shape"
            : $"{bad.Count} of {clear.Count} first-run clear cases have a bad output shape: {Names(bad)}";
        return Build(OutputShape, bad.Count == 0, share, 1, detail, bad);
    }

    // Zero write-safety incidents.
    private GateCheck CheckWriteSafety(IReadOnlyList<ScoredCase> winners)
    {
        var bad = winners.Where(w => w.Case.WriteSafetyIncident)
            .Select(w => new GateCaseRef(w.Case.CaseId, WireName.Of(w.Case.Role), w.Source, "write_safety_incident is true")).ToList();
        var detail = bad.Count == 0
            ? $"no write-safety incident in {winners.Count} first runs"
            : $"{bad.Count} write-safety incident(s) in first runs: {Names(bad)}";
        return Build(WriteSafety, bad.Count == 0, bad.Count, 0, detail, bad);
    }

    // Nearest-rank p95 of first-run latency_ms ≤ SLA; cases without latency are excluded.
    private GateCheck CheckLatency(IReadOnlyList<ScoredCase> winners, double sla)
    {
        var timed = winners.Where(w => w.Case.LatencyMs is not null).ToList();
        var p = _options.LatencyPercentile;
        if (timed.Count == 0)
        {
            return Build(LatencyP95, false, null, sla, $"no first-run case recorded latency_ms; p{p.ToString(CultureInfo.InvariantCulture)} cannot be shown to be within {Ms(sla)}", []);
        }
        var sorted = timed.Select(w => w.Case.LatencyMs!.Value).ToArray();
        Array.Sort(sorted);
        var value = NearestRank(sorted, p);
        var pass = value <= sla;
        var slow = timed.Where(w => w.Case.LatencyMs > sla)
            .OrderByDescending(w => w.Case.LatencyMs)
            .Select(w => new GateCaseRef(w.Case.CaseId, WireName.Of(w.Case.Role), w.Source, $"latency {Ms(w.Case.LatencyMs!.Value)} > SLA {Ms(sla)}")).ToList();
        var detail = pass
            ? $"p{p.ToString(CultureInfo.InvariantCulture)} of {timed.Count} first-run latencies is {Ms(value)}, within the {Ms(sla)} SLA"
            : $"p{p.ToString(CultureInfo.InvariantCulture)} of {timed.Count} first-run latencies is {Ms(value)}, above the {Ms(sla)} SLA; {slow.Count} case(s) over SLA: {Names(slow)}";
        return Build(LatencyP95, pass, value, sla, detail, slow);
    }

    /// <summary>Nearest-rank percentile of an ascending array: the value at rank ⌈p/100 · n⌉.</summary>
    public static double NearestRank(IReadOnlyList<double> ascending, double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfZero(ascending.Count);
        var rank = (int)Math.Ceiling(percentile / 100.0 * ascending.Count);
        return ascending[Math.Clamp(rank, 1, ascending.Count) - 1];
    }

    // Share of first runs with `corrected` ≤ baseline; skipped without a baseline.
    private GateCheck CheckCorrections(IReadOnlyList<ScoredCase> winners, double? baseline)
    {
        var corrected = winners.Where(w => w.Case.Corrected)
            .Select(w => new GateCaseRef(w.Case.CaseId, WireName.Of(w.Case.Role), w.Source, "corrected is true")).ToList();
        var share = winners.Count == 0 ? 0 : (double)corrected.Count / winners.Count;
        if (baseline is null)
        {
            return new GateCheck(CorrectionTrend, GateCheckStatus.Skipped, share, null, $"no baseline correction rate given; {corrected.Count} of {winners.Count} first runs corrected ({Pct(share)})", [], 0);
        }
        var pass = share <= baseline.Value;
        var detail = pass
            ? $"{corrected.Count} of {winners.Count} first runs corrected ({Pct(share)}), within the baseline {Pct(baseline.Value)}"
            : $"{corrected.Count} of {winners.Count} first runs corrected ({Pct(share)}), above the baseline {Pct(baseline.Value)}: {Names(corrected)}";
        return Build(CorrectionTrend, pass, share, baseline, detail, corrected);
    }

    private string Names(List<GateCaseRef> cases)
    {
        const int shown = 10;
        var names = string.Join(", ", cases.Take(shown).Select(c => $"{c.CaseId} ({c.Role})"));
        return cases.Count > shown ? $"{names} and {cases.Count - shown} more" : names;
    }

    private static string Ms(double ms) => $"{ms.ToString("0.##", CultureInfo.InvariantCulture)} ms";

    private static string Pct(double share) => (share * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
