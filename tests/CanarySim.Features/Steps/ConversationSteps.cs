using CanarySim.Core;
using CanarySim.Core.Routing;
using CanarySim.Harness.Conversation;

namespace CanarySim.Features.Steps;

/// <summary>
/// Conversation-engine smoke (seed 004): multi-turn slot filling sent through the real router and
/// executor to the stubbed engines. The harness's <see cref="ConversationInvariants"/> check every
/// turn (no slot asked twice in a row, cumulative extracted data, confirm card = slots, zero LLM
/// calls in a deterministic flow).
/// </summary>
[Binding]
public sealed class ConversationSteps(ControlPlane plane)
{
    private ConversationSession? _session;

    private ConversationSession Session => _session ?? throw new InvalidOperationException("no conversation has run yet: add a step such as 'When a STOCK_CHECKER conversation goes:'");

    /// <summary>
    /// Runs a conversation turn by turn through the router (columns: <c>user says</c>, <c>fills</c>
    /// — the slot this turn fills, or empty — and <c>then</c> — the next slot asked, or <c>CONFIRM</c> /
    /// <c>COMPLETE</c>). Any invariant broken on any turn fails the step, naming the turn.
    /// </summary>
    [When(@"^an? (STOCK_CHECKER|SICK_CALLER) conversation goes:$")]
    public Task Goes(string agentType, Table turns) => Run(agentType, turns, strict: true);

    /// <summary>Runs a conversation like the step above, but records broken invariants instead of failing, for scenarios that prove a broken engine is caught.</summary>
    [When(@"^an? (STOCK_CHECKER|SICK_CALLER) conversation is tried with:$")]
    public Task Tried(string agentType, Table turns) => Run(agentType, turns, strict: false);

    /// <summary>Checks which engine served every turn (and that v2 answers carry <c>engineVersion: v2</c>, v1 answers none).</summary>
    [Then(@"^every turn was served by (v1|v2)$")]
    public void ServedBy(string engine)
    {
        Assert.That(Session.Turns.Select(t => WireName.Of(t.ServedBy)), Has.All.EqualTo(engine));
        Assert.That(Session.Turns.Select(t => t.EngineVersion), Has.All.EqualTo(engine == "v2" ? "v2" : null));
    }

    /// <summary>Checks the slots and values of the confirm card (columns <c>slot</c>, <c>value</c>), exactly.</summary>
    [Then(@"^the confirm card shows:$")]
    public void ConfirmCard(Table table)
    {
        var card = Session.Turns.LastOrDefault(t => t.Action == "CONFIRM")?.ConfirmCard;
        Assert.That(card, Is.Not.Null, "no turn showed a confirm card");
        Assert.That(card, Is.EquivalentTo(table.Rows.ToDictionary(r => r.Get<string>("slot"), r => r.Get<string>("value"))));
    }

    /// <summary>Checks that the last answer's extracted data holds every slot of the flow.</summary>
    [Then(@"^the extracted data still holds every slot$")]
    public void ExtractedAll() => Assert.That(Session.Last!.ExtractedData.Keys, Is.SupersetOf(Session.Flow.Slots));

    /// <summary>Checks one <c>agentMeta</c> field of the last answer.</summary>
    [Then(@"^the agent meta says ([A-Za-z]+) is ""([^""]*)""$")]
    public void AgentMeta(string field, string value)
    {
        Assert.That(Session.Last!.AgentMeta.TryGetValue(field, out var actual), Is.True, $"agentMeta has no '{field}': {string.Join(", ", Session.Last.AgentMeta.Keys)}");
        Assert.That(actual, Is.EqualTo(value));
    }

    /// <summary>Checks the LLM calls the engine reported over the whole conversation.</summary>
    [Then(@"^the engine reported (\d+) LLM calls? in total$")]
    public void LlmCalls(int count) => Assert.That(Session.TotalLlmCalls, Is.EqualTo(count));

    /// <summary>Checks that a tried conversation broke an invariant on a given turn, with the message containing a text.</summary>
    [Then(@"^turn (\d+) broke the invariant ""(.+)""$")]
    public void Broke(int turn, string text) =>
        Assert.That(Session.Violations, Has.Some.Contains($"turn {turn} ").And.Some.Contains(text),
            $"violations: {string.Join(" | ", Session.Violations)}");

    /// <summary>Checks that no invariant was broken on any turn.</summary>
    [Then(@"^no conversation invariant was broken$")]
    public void NoViolation() => Assert.That(Session.Violations, Is.Empty);

    private async Task Run(string agentType, Table turns, bool strict)
    {
        var executor = plane.Executor;
        _session = new ConversationSession(
            ConversationFlow.For(agentType),
            $"conv-{agentType.ToLowerInvariant()}",
            async (request, ct) => (await executor.RunAsync(request, ct)).Served)
        {
            ThrowOnViolation = strict,
        };
        foreach (var row in turns.Rows)
        {
            var turn = await _session.SayAsync(row.Get<string>("user says"));
            var where = turns.Where(row);
            if (row.Has("fills"))
            {
                Assert.That(turn.Fills(row.Get<string>("fills")), Is.True, $"{where}: turn {turn.Number} should fill '{row.Get<string>("fills")}'; extracted data: {string.Join(", ", turn.ExtractedData.Keys)}");
            }
            if (strict && row.Has("then"))
            {
                Assert.That(turn.Next, Is.EqualTo(row.Get<string>("then")), $"{where}: after turn {turn.Number}");
            }
        }
    }
}
