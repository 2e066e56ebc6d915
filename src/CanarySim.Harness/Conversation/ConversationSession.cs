using System.Text.Json.Nodes;
using CanarySim.Core.Routing;

namespace CanarySim.Harness.Conversation;

/// <summary>
/// Drives one multi-turn conversation (the conversation smoke runs): each user input is sent as an
/// <see cref="EngineRequest"/> through <paramref name="send"/> — the real router, or one engine —
/// with the slots extracted so far; every answer becomes a <see cref="ConversationTurn"/> and is
/// checked against <see cref="ConversationInvariants"/> at once (a violation throws).
/// </summary>
/// <param name="flow">The agent type's flow.</param>
/// <param name="conversationId">Conversation id (also the session id, so routing is sticky).</param>
/// <param name="send">Sends a request and returns the answer (e.g. the router's route-and-execute call).</param>
/// <param name="userId">Optional user id.</param>
public sealed class ConversationSession(
    ConversationFlow flow,
    string conversationId,
    Func<EngineRequest, CancellationToken, Task<EngineResponse>> send,
    string? userId = null)
{
    private readonly List<ConversationTurn> _turns = [];

    /// <summary>The scripted conversation every turn of this session follows.</summary>
    public ConversationFlow Flow { get; } = flow ?? throw new ArgumentNullException(nameof(flow));

    /// <summary>Sent with every turn and used as the session key, so all turns route to the same engine.</summary>
    public string ConversationId { get; } = conversationId;

    /// <summary>The turns so far.</summary>
    public IReadOnlyList<ConversationTurn> Turns => _turns;

    /// <summary>The last turn, or null before the first.</summary>
    public ConversationTurn? Last => _turns.Count == 0 ? null : _turns[^1];

    /// <summary>LLM calls over the whole conversation.</summary>
    public int TotalLlmCalls => _turns.Sum(t => t.LlmCalls);

    /// <summary>When false, <see cref="SayAsync"/> records violations in <see cref="Violations"/> instead of throwing. The default value is true.</summary>
    public bool ThrowOnViolation { get; init; } = true;

    /// <summary>Every invariant violation seen (only filled when <see cref="ThrowOnViolation"/> is false).</summary>
    public List<string> Violations { get; } = [];

    /// <summary>Sends a user message (or a button: <c>CONFIRM</c>, <c>REJECT</c>) and checks the answer.</summary>
    /// <exception cref="ConversationInvariantException">The answer breaks an invariant.</exception>
    public async Task<ConversationTurn> SayAsync(string userInput, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userInput);
        var slots = new JsonObject();
        foreach (var (k, v) in Last?.ExtractedData ?? new Dictionary<string, string>())
        {
            slots[k] = v;
        }
        var payload = new JsonObject
        {
            ["conversationId"] = ConversationId,
            ["agentType"] = Flow.AgentType,
            ["userMessage"] = userInput,
            ["slots"] = slots,
        };
        if (userInput is "CONFIRM" or "REJECT")
        {
            payload["event"] = userInput;
        }
        var request = new EngineRequest(ConversationId, userId, Flow.AgentType, payload.ToJsonString());
        var response = await send(request, cancellationToken).ConfigureAwait(false);
        var turn = ConversationTurn.From(_turns.Count + 1, userInput, response);
        var violations = ConversationInvariants.Check(Flow, Last, turn);
        _turns.Add(turn);
        if (violations.Count > 0)
        {
            if (ThrowOnViolation)
            {
                throw new ConversationInvariantException(violations);
            }
            Violations.AddRange(violations);
        }
        return turn;
    }
}
