using CanarySim.Core.Rollback;
using CanarySim.Core.Rollout;

namespace CanarySim.Harness.Scenarios;

/// <summary>
/// Drives a rollout plan's tiers over a scenario world's played traffic with Core's <see cref="RolloutDriver"/>:
/// after every step of <see cref="ScenarioWorld.Timeline"/> the real guard evaluates and acts, and the driver
/// moves the real stage machine and applies its decisions through the real rollback controller (history + audit).
/// </summary>
public sealed class ProgressiveRollout
{
    private readonly ScenarioWorld _world;

    /// <summary>Prepares the rollout and moves the router to the first stage's mode and percentage.</summary>
    public ProgressiveRollout(ScenarioWorld world, CanaryGuard guard, RolloutPlan plan, IStageGateRunner gates)
    {
        _world = world ?? throw new ArgumentNullException(nameof(world));
        ArgumentNullException.ThrowIfNull(guard);
        Driver = new RolloutDriver(plan, guard, gates, world.Time);
        Driver.Start();
        var first = plan.Stages[0];
        Entered.Add((first.Name, first.Percent, world.Time.GetUtcNow()));
        Driver.Stepped += step =>
        {
            Steps.Add(step);
            if (step.Kind == StageStepKind.Advance)
            {
                Entered.Add((plan.Stages[step.StageIndex].Name, step.ToPercent, step.At));
            }
        };
    }

    /// <summary>Core's rollout driver that this rollout feeds observations to and reads its stage from.</summary>
    public RolloutDriver Driver { get; }

    /// <summary>The plan being rolled out (the driver's).</summary>
    public RolloutPlan Plan => Driver.Plan;

    /// <summary>The stage machine the driver feeds.</summary>
    public RolloutStageMachine Machine => Driver.Machine;

    /// <summary>Everything the machine decided, in order.</summary>
    public List<StageStep> Steps { get; } = [];

    /// <summary>Each stage entered: name, percentage and when.</summary>
    public List<(string Stage, double Percent, DateTimeOffset At)> Entered { get; } = [];

    /// <summary>Plays <paramref name="duration"/> of traffic, evaluating and observing after every step.</summary>
    public void Run(TimeSpan duration) => _world.Timeline.Run(duration, () => Driver.Evaluate().Steps.Count);
}
