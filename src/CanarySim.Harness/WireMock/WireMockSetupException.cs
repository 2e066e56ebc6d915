namespace CanarySim.Harness.WireMock;

/// <summary>The WireMock server could not be installed or started; the message names what is missing and how to install it.</summary>
public sealed class WireMockSetupException(string message, Exception? inner = null) : Exception(message, inner);
