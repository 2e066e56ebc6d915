namespace CanarySim.Core.Gating;

/// <summary>One check of the release gate with the numbers that produced it.</summary>
/// <param name="Name"><c>role_parity</c>, <c>output_shape</c>, <c>write_safety</c>, <c>latency_p95</c> or <c>correction_trend</c>.</param>
/// <param name="Status">Pass, fail or skipped.</param>
/// <param name="Value">Measured value (null when there is nothing to measure).</param>
/// <param name="Threshold">Threshold it was compared with (null when skipped without one).</param>
/// <param name="Detail">One sentence a release manager can read.</param>
/// <param name="Cases">The cases that made the check fail (empty when it passed).</param>
/// <param name="CaseCount">How many cases made it fail (may exceed the listed ones).</param>
public sealed record GateCheck(string Name, GateCheckStatus Status, double? Value, double? Threshold, string Detail, IReadOnlyList<GateCaseRef> Cases, int CaseCount);
