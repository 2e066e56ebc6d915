using System.Text.Json;
using System.Text.Json.Nodes;
using CanarySim.Core.Routing;

namespace CanarySim.Harness.Conversation;

/// <summary>
/// One turn of a slot-filling conversation as the engine answered it: the action
/// (<c>ASK_QUESTION</c>, <c>CONFIRM</c>, <c>COMPLETE</c>), the slot asked next, the data extracted so
/// far, the confirm card, how many LLM calls the engine made, and which engine served it.
/// </summary>
public sealed record ConversationTurn
{
    /// <summary>1-based turn number.</summary>
    public required int Number { get; init; }

    /// <summary>What the user said (or the button pressed: <c>CONFIRM</c>, <c>REJECT</c>).</summary>
    public required string UserInput { get; init; }

    /// <summary>The engine that served the turn.</summary>
    public required Engine ServedBy { get; init; }

    /// <summary>The engine's action: <c>ASK_QUESTION</c>, <c>CONFIRM</c> or <c>COMPLETE</c>.</summary>
    public required string Action { get; init; }

    /// <summary>The slot asked for next (on <c>ASK_QUESTION</c>).</summary>
    public string? NextSlot { get; init; }

    /// <summary>Slot values extracted so far (cumulative).</summary>
    public IReadOnlyDictionary<string, string> ExtractedData { get; init; } = new Dictionary<string, string>();

    /// <summary>The confirm card's slots (on <c>CONFIRM</c>), or null.</summary>
    public IReadOnlyDictionary<string, string>? ConfirmCard { get; init; }

    /// <summary>LLM calls the engine made for this turn.</summary>
    public int LlmCalls { get; init; }

    /// <summary>The <c>engineVersion</c> the answer carries (v2 only; v1 answers have none).</summary>
    public string? EngineVersion { get; init; }

    /// <summary>The answer's <c>agentMeta</c> (e.g. <c>phoneSource</c>).</summary>
    public IReadOnlyDictionary<string, string> AgentMeta { get; init; } = new Dictionary<string, string>();

    /// <summary>What comes next: the slot asked (on <c>ASK_QUESTION</c>), otherwise the action (<c>CONFIRM</c>, <c>COMPLETE</c>).</summary>
    public string Next => Action == "ASK_QUESTION" && NextSlot is not null ? NextSlot : Action;

    /// <summary>Whether this turn's extracted data holds <paramref name="slot"/>.</summary>
    public bool Fills(string slot) => ExtractedData.ContainsKey(slot);

    /// <summary>Builds a turn from an engine answer parsed by <see cref="Engines.EngineAnswerParser"/>.</summary>
    public static ConversationTurn From(int number, string userInput, EngineResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var d = response.Dimensions;
        var confirm = Object(d, "confirm_card");
        return new ConversationTurn
        {
            Number = number,
            UserInput = userInput,
            ServedBy = response.Engine,
            Action = d.TryGetValue("action", out var a) ? a : "",
            NextSlot = d.TryGetValue("next_slot", out var s) && s.Length > 0 ? s : null,
            ExtractedData = Object(d, "extracted_data") ?? new Dictionary<string, string>(),
            ConfirmCard = confirm is not null && confirm.TryGetValue("slots", out var slotsJson) ? Flatten(slotsJson) : confirm,
            LlmCalls = d.TryGetValue("llm_calls", out var l) && int.TryParse(l, out var n) ? n : 0,
            EngineVersion = d.TryGetValue("engine_version", out var v) && v.Length > 0 ? v : null,
            AgentMeta = Object(d, "agent_meta") ?? new Dictionary<string, string>(),
        };
    }

    private static Dictionary<string, string>? Object(IReadOnlyDictionary<string, string> d, string key) =>
        d.TryGetValue(key, out var json) && json.Length > 0 && json != "null" ? Flatten(json) : null;

    private static Dictionary<string, string>? Flatten(string json)
    {
        if (JsonNode.Parse(json) is not JsonObject o)
        {
            return null;
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in o)
        {
            result[k] = v switch
            {
                null => "",
                JsonValue jv when jv.GetValueKind() == JsonValueKind.String => jv.GetValue<string>(),
                _ => v.ToJsonString(),
            };
        }
        return result;
    }
}
