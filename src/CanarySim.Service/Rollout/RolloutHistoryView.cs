namespace CanarySim.Service.Rollout;

/// <summary>One stored transition of the live rollout.</summary>
/// <param name="At">When.</param>
/// <param name="Event"><c>started</c>, <c>advanced</c>, <c>approved</c>, <c>paused</c>, <c>resumed</c>, <c>aborted</c>, <c>rolled_back</c> or <c>completed</c>.</param>
/// <param name="Stage">The stage after the transition.</param>
/// <param name="Percent">Its percentage.</param>
/// <param name="Actor"><c>plan</c> or the person.</param>
/// <param name="Reason">Why.</param>
public sealed record RolloutHistoryView(DateTimeOffset At, string Event, string Stage, double Percent, string Actor, string Reason);
