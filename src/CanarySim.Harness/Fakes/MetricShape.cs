namespace CanarySim.Harness.Fakes;

/// <summary>
/// One application metric of a <see cref="SampleShape"/>: the samples of <see cref="Agent"/> (every agent when
/// null) carry <see cref="Value"/> on an exact, evenly spread <see cref="Share"/> of their runs and 0 on the
/// others; a bool metric is a value of 1 (e.g. <c>llm_call</c> on 30 % of SICK_CALLER runs).
/// </summary>
/// <param name="Name">Metric name, e.g. <c>llm_call</c>.</param>
/// <param name="Value">The value on the runs the share hits (1 for a bool).</param>
/// <param name="Share">Exact share (0–1) of the runs that carry <paramref name="Value"/>.</param>
/// <param name="Agent">The agent whose runs it applies to; null = every agent.</param>
public sealed record MetricShape(string Name, double Value, double Share = 1, string? Agent = null);
