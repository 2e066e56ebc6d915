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
/// <param name="Detected">With an injection: runs whose guard or rollout rolled back, paused or reduced traffic at or after it (null when healthy).</param>
/// <param name="DetectionRate">Detected / Runs.</param>
/// <param name="DetectionCi95">95 % Wilson interval of the detection probability.</param>
/// <param name="DetectedBy">How many detections each first action was (<c>rollback</c>, <c>staged_rollback</c>, <c>reduce_traffic</c>, <c>pause</c>).</param>
/// <param name="TimeToDetectionSeconds">Time from the injection to that first action over the detected runs (null when none).</param>
/// <param name="DetectionChecks">How many of those detections each check raised.</param>
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
    IReadOnlyDictionary<string, int> DetectedBy,
    SweepDistribution? TimeToDetectionSeconds,
    IReadOnlyDictionary<string, int> DetectionChecks);
