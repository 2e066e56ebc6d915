namespace CanarySim.Core.Detection;

/// <summary>One measurement of an <see cref="AnalysisRun"/>.</summary>
/// <param name="At">When it was taken.</param>
/// <param name="Phase">Its phase.</param>
/// <param name="Verdict">The verdict, unless the metric source failed.</param>
/// <param name="Error">The metric source's error message, for an error measurement.</param>
public sealed record Measurement(DateTimeOffset At, MeasurementPhase Phase, Verdict? Verdict, string? Error)
{
    /// <summary>The phase a verdict maps to.</summary>
    public static MeasurementPhase PhaseOf(Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.Outcome switch
        {
            VerdictOutcome.Pass => MeasurementPhase.Successful,
            VerdictOutcome.Fail => MeasurementPhase.Failed,
            VerdictOutcome.Inconclusive when verdict.Errors.Count > 0 => MeasurementPhase.Error,
            // Only breaches still inside their sustain window: not decided yet, and not inconclusive either.
            VerdictOutcome.Inconclusive when verdict.Pending.Count > 0 && verdict.Inconclusive.Count == 0 => MeasurementPhase.Pending,
            VerdictOutcome.Inconclusive => MeasurementPhase.Inconclusive,
            _ => MeasurementPhase.InsufficientData,
        };
    }
}
