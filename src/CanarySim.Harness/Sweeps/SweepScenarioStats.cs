namespace CanarySim.Harness.Sweeps;

/// <summary>One scenario's numbers in a sweep summary.</summary>
/// <param name="Name"><c>healthy</c> or the injection as written.</param>
/// <param name="Range">The injection range this is a step of (null otherwise).</param>
/// <param name="Size">The step's signed amount (null outside a range).</param>
/// <param name="Unit">The amount's unit.</param>
/// <param name="Runs">Runs finished.</param>
/// <param name="FalseAlarms">Runs whose guard rolled back, paused or reduced traffic with nothing injected yet.</param>
/// <param name="FalseAlarmRate">FalseAlarms / Runs (0 with no runs).</param>
/// <param name="FalseAlarmCi95">95 % Wilson interval of the false-alarm rate.</param>
/// <param name="FalseAlarmChecks">How many false alarms each check raised (a run counts once per check that breached).</param>
/// <param name="Detected">With an injection: runs that rolled back at or after it (null when healthy).</param>
/// <param name="DetectionRate">Detected / Runs.</param>
/// <param name="DetectionCi95">95 % Wilson interval of the detection probability.</param>
/// <param name="TimeToRollbackSeconds">Time from the injection to the rollback over the detected runs (null when none).</param>
/// <param name="RollbackChecks">How many of those rollbacks each check raised.</param>
public sealed record SweepScenarioStats(
    string Name,
    string? Range,
    double? Size,
    string Unit,
    int Runs,
    int FalseAlarms,
    double FalseAlarmRate,
    SweepInterval FalseAlarmCi95,
    IReadOnlyDictionary<string, int> FalseAlarmChecks,
    int? Detected,
    double? DetectionRate,
    SweepInterval? DetectionCi95,
    SweepDistribution? TimeToRollbackSeconds,
    IReadOnlyDictionary<string, int> RollbackChecks);
