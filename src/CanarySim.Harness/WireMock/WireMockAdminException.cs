namespace CanarySim.Harness.WireMock;

/// <summary>WireMock's admin API refused a call (e.g. an invalid mapping); the message names the call, the status and WireMock's answer.</summary>
public sealed class WireMockAdminException(string message, Exception? inner = null) : Exception(message, inner);
