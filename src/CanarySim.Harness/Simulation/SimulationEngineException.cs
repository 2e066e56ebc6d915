namespace CanarySim.Harness.Simulation;

/// <summary>
/// The stubbed engines could not be driven as the seed requires: a request's HTTP outcome kept
/// disagreeing with its seeded outcome, or the stubs are missing. The message names the request,
/// the engine, what was expected and what the engine answered.
/// </summary>
public sealed class SimulationEngineException(string message, Exception? inner = null) : Exception(message, inner);
