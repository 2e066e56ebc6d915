namespace CanarySim.Core.Routing;

/// <summary>An engine answered, but not in the expected shape (counts as a v2 failure, v1 serves).</summary>
public sealed class InvalidEngineOutputException(string message, Exception? inner = null) : Exception(message, inner);
