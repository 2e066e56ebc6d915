namespace CanarySim.Core.Rollout;

/// <summary>One stage of a rollout plan: a traffic percentage held for at least <see cref="MinHold"/>, left through its gates and exit criteria.</summary>
public sealed record PlanStage
{
    /// <summary>Stage name, unique in the plan (e.g. <c>canary-5</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Shadow, canary step or progressive tier.</summary>
    public required StageKind Kind { get; init; }

    /// <summary>Traffic percentage on v2 (0 for shadow).</summary>
    public required double Percent { get; init; }

    /// <summary>Minimum time to hold the stage before it may be left.</summary>
    public TimeSpan MinHold { get; init; }

    /// <summary>Gates that must all pass to leave the stage.</summary>
    public IReadOnlyList<PlanGate> Gates { get; init; } = [];

    /// <summary>Exit criteria that must all hold (sustained) to leave the stage.</summary>
    public IReadOnlyList<ExitCriterion> ExitCriteria { get; init; } = [];

    /// <summary>Free text shown in reports (e.g. the seed's "Week 2: 5% canary").</summary>
    public string Description { get; init; } = "";

    /// <summary>Line in the plan file (0 when unknown).</summary>
    public int Line { get; init; }
}
