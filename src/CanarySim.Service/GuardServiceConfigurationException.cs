namespace CanarySim.Service;

/// <summary>The service refuses to start (e.g. no ops token); the message says what to give instead.</summary>
public sealed class GuardServiceConfigurationException(string message) : Exception(message);
