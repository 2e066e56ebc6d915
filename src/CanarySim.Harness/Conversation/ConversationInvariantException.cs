namespace CanarySim.Harness.Conversation;

/// <summary>A conversation turn broke one or more conversation invariants (<see cref="ConversationInvariants"/>); the message lists each.</summary>
public sealed class ConversationInvariantException(IReadOnlyList<string> violations)
    : Exception("Conversation invariant violated:\n- " + string.Join("\n- ", violations))
{
    /// <summary>Every violation, one sentence each.</summary>
    public IReadOnlyList<string> Violations { get; } = violations;
}
