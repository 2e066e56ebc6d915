namespace CanarySim.Core.Audit;

/// <summary>
/// An audit sink that keeps only some <c>evaluation</c> events (a simulation keeps the changes and
/// drops tens of thousands of identical routine evaluations). <see cref="Rollback.CanaryGuard"/> asks
/// before it builds an event's JSON, so a dropped evaluation costs nothing. Evaluations that changed
/// the settings are always appended, without asking.
/// </summary>
public interface IEvaluationAuditFilter
{
    /// <summary>Whether an evaluation with this measurement phase and action (their wire names) is kept.</summary>
    bool KeepsEvaluation(string measurement, string action);
}
