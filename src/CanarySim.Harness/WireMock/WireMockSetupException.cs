namespace CanarySim.Harness.WireMock;

/// <summary>The in-process WireMock.Net server did not start, or a mapping file it needs is missing; the message names what.</summary>
public sealed class WireMockSetupException(string message, Exception? inner = null) : Exception(message, inner);
