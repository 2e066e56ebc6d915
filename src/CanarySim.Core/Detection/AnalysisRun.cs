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
    private readonly Lock _gate = new();
    private readonly Queue<Measurement> _measurements = new();
    private readonly TimeProvider _time;

    /// <summary>Creates a run with the limits of <paramref name="options"/>.</summary>
    public AnalysisRun(DetectorOptions? options = null, TimeProvider? time = null)
    {
        var o = options ?? new DetectorOptions();
        FailureLimit = o.FailureLimit;
        InconclusiveLimit = o.InconclusiveLimit;
        ConsecutiveErrorLimit = o.ConsecutiveErrorLimit;
        _time = time ?? TimeProvider.System;
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
        get { lock (_gate) { return _measurements.ToList(); } }
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
        lock (_gate)
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
        lock (_gate)
        {
            switch (m.Phase)
            {
                case MeasurementPhase.Successful: Successful++; ConsecutiveErrors = 0; break;
                case MeasurementPhase.Failed: Failed++; ConsecutiveErrors = 0; break;
                case MeasurementPhase.Inconclusive: Inconclusive++; ConsecutiveErrors = 0; break;
                case MeasurementPhase.Error: Errors++; ConsecutiveErrors++; break;
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
                if (Failed > FailureLimit)
                {
                    Phase = AnalysisPhase.Failed;
                }
                else if (ConsecutiveErrors > ConsecutiveErrorLimit)
                {
                    Phase = AnalysisPhase.Error;
                }
                else if (Phase == AnalysisPhase.Running && Inconclusive > InconclusiveLimit)
                {
                    Phase = AnalysisPhase.Inconclusive;
                }
            }
            return m;
        }
    }
}
