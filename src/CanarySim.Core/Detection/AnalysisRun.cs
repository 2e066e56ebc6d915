namespace CanarySim.Core.Detection;

/// <summary>
/// Argo Rollouts analysis semantics over successive evaluations: each evaluation is a
/// <see cref="Measurement"/> (successful / failed / inconclusive / error / insufficient data);
/// the run fails when failed measurements exceed <see cref="DetectorOptions.FailureLimit"/>, turns
/// inconclusive when inconclusive ones exceed <see cref="DetectorOptions.InconclusiveLimit"/>, and
/// errors when consecutive error measurements exceed <see cref="DetectorOptions.ConsecutiveErrorLimit"/>
/// (defaults 0 / 0 / 4). A metric source that throws is an error measurement, never a pass. Once
/// failed or errored the phase stays; an inconclusive run can still escalate to failed or error
/// (measurements are always recorded). Thread-safe.
/// </summary>
public sealed class AnalysisRun
{
    private const int KeptMeasurements = 1000;
    private readonly Lock _lock = new();
    private readonly Queue<Measurement> _measurements = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, CheckDefinition> _ownLimits;
    private readonly Dictionary<string, int> _checkFailures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _checkInconclusive = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _checkErrors = new(StringComparer.Ordinal);

    /// <summary>Creates a run with the limits of <paramref name="options"/> (a check's own limits apply to that check).</summary>
    public AnalysisRun(DetectorOptions? options = null, TimeProvider? time = null)
    {
        var o = options ?? new DetectorOptions();
        FailureLimit = o.FailureLimit;
        InconclusiveLimit = o.InconclusiveLimit;
        ConsecutiveErrorLimit = o.ConsecutiveErrorLimit;
        _time = time ?? TimeProvider.System;
        _ownLimits = (o.Checks ?? [])
            .Where(c => c.FailureLimit is not null || c.InconclusiveLimit is not null || c.ConsecutiveErrorLimit is not null)
            .ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    /// <summary>Failed measurements tolerated.</summary>
    public int FailureLimit { get; }
    /// <summary>Inconclusive measurements tolerated.</summary>
    public int InconclusiveLimit { get; }
    /// <summary>Consecutive error measurements tolerated.</summary>
    public int ConsecutiveErrorLimit { get; }

    /// <summary>The run's phase.</summary>
    public AnalysisPhase Phase { get; private set; } = AnalysisPhase.Running;
    /// <summary>Successful measurements so far.</summary>
    public int Successful { get; private set; }
    /// <summary>Failed measurements so far.</summary>
    public int Failed { get; private set; }
    /// <summary>Inconclusive measurements so far.</summary>
    public int Inconclusive { get; private set; }
    /// <summary>Error measurements so far.</summary>
    public int Errors { get; private set; }
    /// <summary>Error measurements since the last non-error one.</summary>
    public int ConsecutiveErrors { get; private set; }

    /// <summary>True once the phase is no longer <see cref="AnalysisPhase.Running"/>.</summary>
    public bool IsTerminal => Phase != AnalysisPhase.Running;

    /// <summary>The most recent measurements (up to 1000), oldest first.</summary>
    public IReadOnlyList<Measurement> Measurements
    {
        get { lock (_lock) { return _measurements.ToList(); } }
    }

    /// <summary>Takes one measurement: runs <paramref name="evaluate"/>; an exception becomes an error measurement.</summary>
    public Measurement Measure(Func<Verdict> evaluate)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        Verdict verdict;
        try
        {
            verdict = evaluate();
        }
#pragma warning disable CA1031 // Argo: any metric-source failure is an error measurement, whatever its type
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return RecordError(ex.Message);
        }
        return Record(verdict);
    }

    /// <summary>Records a verdict as a measurement.</summary>
    public Measurement Record(Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return Add(new Measurement(verdict.At, Measurement.PhaseOf(verdict), verdict, null));
    }

    /// <summary>Records an error measurement (the metric source failed).</summary>
    public Measurement RecordError(string error) => Add(new Measurement(_time.GetUtcNow(), MeasurementPhase.Error, null, error));

    /// <summary>Ends a running run: successful when no limit was exceeded. Returns the final phase.</summary>
    public AnalysisPhase Complete()
    {
        lock (_lock)
        {
            if (Phase == AnalysisPhase.Running)
            {
                Phase = AnalysisPhase.Successful;
            }
            return Phase;
        }
    }

    private Measurement Add(Measurement m)
    {
        lock (_lock)
        {
            var ownLimitExceeded = CountPerCheck(m);
            var runLevel = m.Verdict is not { } v || RunLevel(m.Phase, v);
            switch (m.Phase)
            {
                case MeasurementPhase.Successful: Successful++; ConsecutiveErrors = 0; break;
                case MeasurementPhase.Failed: Failed += runLevel ? 1 : 0; ConsecutiveErrors = 0; break;
                case MeasurementPhase.Inconclusive: Inconclusive += runLevel ? 1 : 0; ConsecutiveErrors = 0; break;
                case MeasurementPhase.Error: Errors++; ConsecutiveErrors += runLevel ? 1 : 0; break;
                default: ConsecutiveErrors = 0; break;
            }
            _measurements.Enqueue(m);
            if (_measurements.Count > KeptMeasurements)
            {
                _measurements.Dequeue();
            }
            // Terminal phases stay, except that an inconclusive run still escalates to failed or error.
            if (Phase is AnalysisPhase.Running or AnalysisPhase.Inconclusive)
            {
                if (Failed > FailureLimit || ownLimitExceeded == AnalysisPhase.Failed)
                {
                    Phase = AnalysisPhase.Failed;
                }
                else if (ConsecutiveErrors > ConsecutiveErrorLimit || ownLimitExceeded == AnalysisPhase.Error)
                {
                    Phase = AnalysisPhase.Error;
                }
                else if (Phase == AnalysisPhase.Running && (Inconclusive > InconclusiveLimit || ownLimitExceeded == AnalysisPhase.Inconclusive))
                {
                    Phase = AnalysisPhase.Inconclusive;
                }
            }
            return m;
        }
    }

    /// <summary>
    /// True when the measurement counts toward the run's own limits: it has no check with limits of
    /// its own to blame, or at least one check without them.
    /// </summary>
    private bool RunLevel(MeasurementPhase phase, Verdict v)
    {
        IEnumerable<string> blamed = phase switch
        {
            MeasurementPhase.Failed => v.Breaches.Select(b => b.Check),
            MeasurementPhase.Inconclusive => v.Inconclusive.Select(b => b.Check),
            MeasurementPhase.Error => v.Errors.Select(e => e.Check),
            _ => [],
        };
        var any = false;
        foreach (var check in blamed)
        {
            any = true;
            if (!_ownLimits.ContainsKey(check))
            {
                return true;
            }
        }
        return !any;
    }

    /// <summary>Counts the measurement against the checks with limits of their own; returns the phase one of them exceeded, if any.</summary>
    private AnalysisPhase CountPerCheck(Measurement m)
    {
        if (_ownLimits.Count == 0 || m.Verdict is not { } v)
        {
            return AnalysisPhase.Running;
        }
        var result = AnalysisPhase.Running;
        foreach (var b in v.Breaches)
        {
            if (_ownLimits.TryGetValue(b.Check, out var c) && Bump(_checkFailures, b.Check) > (c.FailureLimit ?? FailureLimit))
            {
                result = AnalysisPhase.Failed;
            }
        }
        foreach (var b in v.Inconclusive)
        {
            if (_ownLimits.TryGetValue(b.Check, out var c) && Bump(_checkInconclusive, b.Check) > (c.InconclusiveLimit ?? InconclusiveLimit) && result == AnalysisPhase.Running)
            {
                result = AnalysisPhase.Inconclusive;
            }
        }
        var erroring = v.Errors.Select(e => e.Check).ToHashSet(StringComparer.Ordinal);
        foreach (var name in _checkErrors.Keys.Where(k => !erroring.Contains(k)).ToList())
        {
            _checkErrors.Remove(name); // consecutive: a measurement without the error resets it
        }
        foreach (var name in erroring)
        {
            if (_ownLimits.TryGetValue(name, out var c) && Bump(_checkErrors, name) > (c.ConsecutiveErrorLimit ?? ConsecutiveErrorLimit) && result != AnalysisPhase.Failed)
            {
                result = AnalysisPhase.Error;
            }
        }
        return result;
    }

    private static int Bump(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
