namespace CanarySim.Core.Rollout;

/// <summary>A plan could not be loaded or is invalid; <see cref="Errors"/> lists every problem with its file and line.</summary>
public sealed class PlanValidationException(IReadOnlyList<PlanValidationError> errors)
    : Exception(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
{
    /// <summary>Every problem found (at least one).</summary>
    public IReadOnlyList<PlanValidationError> Errors { get; } = errors;
}
