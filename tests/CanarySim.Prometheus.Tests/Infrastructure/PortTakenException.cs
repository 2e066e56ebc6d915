namespace CanarySim.Prometheus.Tests.Infrastructure;

/// <summary>
/// Prometheus could not listen on the port chosen for it: another process took it after <see cref="PrometheusServer.FreePort"/>
/// found it free. The caller chooses another port and starts again.
/// </summary>
internal sealed class PortTakenException(string message) : Exception(message);
