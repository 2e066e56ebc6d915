namespace CanarySim.Service.Guard;

/// <summary>An evaluation was asked of an instance that does not hold the fleet's evaluator lock.</summary>
public sealed class NotEvaluatorException(string message) : InvalidOperationException(message);
