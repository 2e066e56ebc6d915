namespace CanarySim.Metrics.Prometheus;

/// <summary>
/// A Prometheus query that produced no usable value: the server was unreachable or timed out, refused the query, or
/// answered with no series, several series, a non-number or NaN. The detector records it as an error measurement.
/// </summary>
public sealed class PrometheusQueryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PrometheusQueryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public PrometheusQueryException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PrometheusQueryException()
    {
    }
}
