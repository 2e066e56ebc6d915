namespace CanarySim.Core.Notification;

/// <summary>The outcome of one step of the <see cref="RollbackProcedure"/>.</summary>
/// <param name="Step">The step's name (<c>clear_rate_limiter_state</c>, <c>notify_on_call</c>).</param>
/// <param name="Event">The notification event sent for it.</param>
/// <param name="Version">The settings version whose change started the procedure.</param>
/// <param name="Delivered">The notifier accepted the message.</param>
/// <param name="Error">Why it was not delivered; null when it was.</param>
public sealed record ProcedureStep(string Step, string Event, long Version, bool Delivered, string? Error);
