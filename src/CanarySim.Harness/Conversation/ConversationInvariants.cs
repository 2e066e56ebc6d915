namespace CanarySim.Harness.Conversation;

/// <summary>
/// The rules every conversation turn must keep, checked on every turn: no slot asked twice in a row;
/// extracted data is cumulative and never loses keys; the confirm card matches the slots (every
/// slot of the flow, same values as the extracted data); a deterministic flow makes zero LLM calls.
/// </summary>
public static class ConversationInvariants
{
    /// <summary>The violations of turn <paramref name="current"/> given the turn before it (null for the first).</summary>
    public static IReadOnlyList<string> Check(ConversationFlow flow, ConversationTurn? previous, ConversationTurn current)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(current);
        var violations = new List<string>();
        var where = $"{flow.AgentType} turn {current.Number} (\"{current.UserInput}\", served by {current.ServedBy.ToString().ToLowerInvariant()})";

        if (previous is not null
            && current.Action == "ASK_QUESTION" && previous.Action == "ASK_QUESTION"
            && current.NextSlot is not null && current.NextSlot == previous.NextSlot)
        {
            violations.Add($"{where}: slot '{current.NextSlot}' was asked twice in a row (turns {previous.Number} and {current.Number}).");
        }

        if (previous is not null)
        {
            var lost = previous.ExtractedData.Keys.Where(k => !current.ExtractedData.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
            if (lost.Count > 0)
            {
                violations.Add($"{where}: extracted data lost key(s) {string.Join(", ", lost)} that turn {previous.Number} had; extracted data must be cumulative.");
            }
        }

        if (current.Action == "CONFIRM")
        {
            if (current.ConfirmCard is null)
            {
                violations.Add($"{where}: action CONFIRM without a confirm card.");
            }
            else
            {
                foreach (var slot in flow.Slots)
                {
                    if (!current.ConfirmCard.TryGetValue(slot, out var shown))
                    {
                        violations.Add($"{where}: the confirm card is missing slot '{slot}'.");
                    }
                    else if (!current.ExtractedData.TryGetValue(slot, out var value))
                    {
                        violations.Add($"{where}: the confirm card shows '{slot}' = '{shown}' but the extracted data has no '{slot}'.");
                    }
                    else if (shown != value)
                    {
                        violations.Add($"{where}: the confirm card shows '{slot}' = '{shown}' but the extracted data says '{value}'.");
                    }
                }
                foreach (var extra in current.ConfirmCard.Keys.Where(k => !flow.Slots.Contains(k)))
                {
                    violations.Add($"{where}: the confirm card shows '{extra}', which is not a slot of {flow.AgentType}.");
                }
            }
        }

        if (flow.Deterministic && current.LlmCalls > 0)
        {
            violations.Add($"{where}: the deterministic flow made {current.LlmCalls} LLM call(s); expected zero.");
        }
        return violations;
    }

    /// <summary>Checks every turn of a conversation in order; returns all violations.</summary>
    public static IReadOnlyList<string> CheckAll(ConversationFlow flow, IReadOnlyList<ConversationTurn> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        var all = new List<string>();
        for (var i = 0; i < turns.Count; i++)
        {
            all.AddRange(Check(flow, i == 0 ? null : turns[i - 1], turns[i]));
        }
        return all;
    }
}
