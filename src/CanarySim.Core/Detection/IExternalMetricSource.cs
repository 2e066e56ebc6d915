using CanarySim.Core.Routing;

namespace CanarySim.Core.Detection;

/// <summary>
/// A metric provider outside the sample store (Prometheus): answers one query with one value.
/// Anything else — the server down, a query error, an empty or multi-valued result — must throw;
/// the detector records it as an error measurement of that check, never as a pass.
/// </summary>
public interface IExternalMetricSource
{
    /// <summary>The value of <paramref name="query"/> (with <c>$engine</c> already replaced) for <paramref name="engine"/>.</summary>
    Task<double> QueryAsync(CheckDefinition check, string query, Engine engine, CancellationToken cancellationToken);
}
