namespace CanarySim.Core.Tests.Routing;

public sealed class DecisionDiffTests
{
    private static EngineResponse Answer(Engine e, string? agent = "planner", string[]? steps = null, string[]? tools = null, bool dryRun = false, Dictionary<string, string>? extra = null) =>
        new() { Engine = e, Agent = agent, Steps = steps ?? ["plan", "act"], Tools = tools ?? ["search", "sql"], DryRun = dryRun, Dimensions = extra ?? [] };

    [Test]
    public void Identical_answers_have_no_change()
    {
        var diff = DecisionDiff.Compare(Answer(Engine.V1), Answer(Engine.V2));
        Assert.Multiple(() =>
        {
            Assert.That(diff.AnyChange, Is.False);
            Assert.That(diff.Changed.Keys, Is.EqualTo(new[] { "agent", "steps", "tools", "dry_run" }));
        });
    }

    [Test]
    public void Each_default_dimension_sets_its_own_flag()
    {
        var v1 = Answer(Engine.V1);
        Assert.Multiple(() =>
        {
            Assert.That(DecisionDiff.Compare(v1, Answer(Engine.V2, agent: "coder")) is { AgentChanged: true, StepsChanged: false, ToolsChanged: false, DryRunChanged: false, AnyChange: true });
            Assert.That(DecisionDiff.Compare(v1, Answer(Engine.V2, steps: ["act", "plan"])) is { AgentChanged: false, StepsChanged: true, AnyChange: true });
            Assert.That(DecisionDiff.Compare(v1, Answer(Engine.V2, tools: ["search"])) is { ToolsChanged: true, StepsChanged: false, AnyChange: true });
            Assert.That(DecisionDiff.Compare(v1, Answer(Engine.V2, dryRun: true)) is { DryRunChanged: true, AgentChanged: false, AnyChange: true });
        });
    }

    [Test]
    public void Tools_compare_as_a_set()
    {
        var diff = DecisionDiff.Compare(Answer(Engine.V1, tools: ["a", "b"]), Answer(Engine.V2, tools: ["b", "a", "a"]));
        Assert.That(diff.ToolsChanged, Is.False);
    }

    [Test]
    public void Configured_dimensions_replace_the_defaults_and_can_name_extra_fields()
    {
        var v1 = Answer(Engine.V1, agent: "a", extra: new() { ["next_slot"] = "quantity" });
        var v2 = Answer(Engine.V2, agent: "b", extra: new() { ["next_slot"] = "place_id" });
        var diff = DecisionDiff.Compare(v1, v2, ["next_slot", "missing"]);
        Assert.Multiple(() =>
        {
            Assert.That(diff.Changed, Is.EqualTo(new Dictionary<string, bool> { ["next_slot"] = true, ["missing"] = false }));
            Assert.That(diff.AgentChanged, Is.False, "agent is not compared when not configured");
            Assert.That(diff.ToFlags(), Is.EqualTo(new Dictionary<string, bool> { ["next_slot_changed"] = true, ["missing_changed"] = false, ["any_change"] = true }));
        });
    }
}
