namespace CanarySim.Service.Rollout;

/// <summary>A rollout request that does not fit the rollout's state (answered 409 with the message).</summary>
public sealed class RolloutConflictException(string message) : Exception(message);
