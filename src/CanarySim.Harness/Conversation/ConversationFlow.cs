namespace CanarySim.Harness.Conversation;

/// <summary>The slots an agent type fills, in order, and whether its flow is deterministic (no LLM).</summary>
/// <param name="AgentType">Agent type, e.g. <c>SICK_CALLER</c>.</param>
/// <param name="Slots">Slots in the order they are asked.</param>
/// <param name="Deterministic">True when the flow must make zero LLM calls.</param>
public sealed record ConversationFlow(string AgentType, IReadOnlyList<string> Slots, bool Deterministic)
{
    /// <summary>STOCK_CHECKER: product_name, quantity, place_id → CONFIRM → COMPLETE (free-text product extraction may use the LLM).</summary>
    public static ConversationFlow StockChecker { get; } = new("STOCK_CHECKER", ["product_name", "quantity", "place_id"], Deterministic: false);

    /// <summary>SICK_CALLER: six slots, fully deterministic (zero LLM calls).</summary>
    public static ConversationFlow SickCaller { get; } = new(
        "SICK_CALLER",
        ["employer_name", "employer_phone", "caller_name", "shift_date", "shift_start_time", "reason_category"],
        Deterministic: true);

    /// <summary>The known flow for an agent type.</summary>
    /// <exception cref="ArgumentException">Unknown agent type; the message lists the known ones.</exception>
    public static ConversationFlow For(string agentType) => agentType.ToUpperInvariant() switch
    {
        "STOCK_CHECKER" => StockChecker,
        "SICK_CALLER" => SickCaller,
        _ => throw new ArgumentException($"Unknown agent type '{agentType}'; expected STOCK_CHECKER or SICK_CALLER.", nameof(agentType)),
    };
}
