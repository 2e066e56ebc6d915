namespace CanarySim.Harness.WireMock;

/// <summary>A WireMock admin call was refused (e.g. a mapping with an unsupported field, an unknown scenario); the message names the file, mapping and field where there is one.</summary>
public sealed class WireMockAdminException(string message, Exception? inner = null) : Exception(message, inner);
