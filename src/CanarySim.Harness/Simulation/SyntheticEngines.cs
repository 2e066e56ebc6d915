using CanarySim.Core.Routing;

namespace CanarySim.Harness.Simulation;

/// <summary>
/// The in-process engines' decisions: for a request of agent type <c>a</c>, v1 plans with agent
/// <c>a</c>; v2 agrees, or (when it diverges) picks the next agent type with different steps.
/// Answers are pooled immutable <see cref="EngineResponse"/>s, and each pair's diff is computed once
/// by the real <see cref="DecisionDiff.Compare"/> and reused (it is a pure function of the pair).
/// </summary>
internal sealed class SyntheticEngines
{
    private readonly DecisionDiff[] _same;
    private readonly DecisionDiff[] _diverged;

    public SyntheticEngines(IReadOnlyList<string> agents)
    {
        var n = agents.Count;
        _same = new DecisionDiff[n];
        _diverged = new DecisionDiff[n];
        for (var i = 0; i < n; i++)
        {
            var v1 = Answer(Engine.V1, agents[i]);
            var v2Same = Answer(Engine.V2, agents[i]);
            var other = agents[(i + 1) % n];
            var v2Other = Answer(Engine.V2, n == 1 ? agents[i] + "_v2" : other);
            _same[i] = DecisionDiff.Compare(v1, v2Same);
            _diverged[i] = DecisionDiff.Compare(v1, v2Other);
        }
    }

    public DecisionDiff Compare(int agentIndex, bool diverges) => diverges ? _diverged[agentIndex] : _same[agentIndex];

    private static EngineResponse Answer(Engine engine, string agent) => new()
    {
        Engine = engine,
        Agent = agent,
        Steps = [$"{agent}.load", $"{agent}.plan", $"{agent}.act"],
        Tools = [$"{agent}_tool"],
        DryRun = false,
        Body = $"{{\"agent\":\"{agent}\"}}",
    };
}
