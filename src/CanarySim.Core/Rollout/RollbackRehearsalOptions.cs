namespace CanarySim.Core.Rollout;

/// <summary>Options of the <see cref="RollbackRehearsal"/>.</summary>
public sealed record RollbackRehearsalOptions
{
    /// <summary>The smoke scenarios run against v1. The default value is FIN-01, SAL-01, STK-01, WR-02.</summary>
    public IReadOnlyList<string> SmokeScenarios { get; init; } = ["FIN-01", "SAL-01", "STK-01", "WR-02"];

    /// <summary>The actor recorded in the settings history and audit log. The default value is <c>rollback-rehearsal</c>.</summary>
    public string Actor { get; init; } = "rollback-rehearsal";
}
