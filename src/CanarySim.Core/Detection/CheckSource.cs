namespace CanarySim.Core.Detection;

/// <summary>
/// Where a declared check reads its value when not from the sample store, e.g.
/// <c>"source": {"prometheus": "sum(rate(errors{engine=\"$engine\"}[5m]))"}</c>; <c>$engine</c> is
/// replaced by <c>v1</c> or <c>v2</c>.
/// </summary>
/// <param name="Prometheus">A PromQL query that must return exactly one value.</param>
public sealed record CheckSource(string? Prometheus);
