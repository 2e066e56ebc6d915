namespace CanarySim.Core.Gating;

/// <summary>What to gate: the stage, the agreed SLA, the optional baseline and the report label.</summary>
/// <param name="Stage">Rollout stage in percent; one of <see cref="GateOptions.Stages"/>.</param>
/// <param name="LatencyP95SlaMs">Agreed p95 latency SLA in ms (≥ 0).</param>
/// <param name="BaselineCorrectionRate">Baseline share of corrected answers (0–1); null skips <c>correction_trend</c>.</param>
/// <param name="Label">Report label; null uses <see cref="GateOptions.DefaultLabel"/>.</param>
public sealed record GateRequest(int Stage, double LatencyP95SlaMs, double? BaselineCorrectionRate = null, string? Label = null);
