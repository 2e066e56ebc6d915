namespace CanarySim.Core.Rollout;

/// <summary>
/// A rollout plan — stages (shadow, canary steps, progressive tiers) with minimum holds, gates
/// and exit criteria, rollback triggers and automated progression. Loaded from YAML or JSON by the
/// harness (<c>PlanLoader</c>), checked by <see cref="PlanValidator"/>, run by the simulator.
/// Schema: <c>fixtures/plans/schema/plan.v1.schema.json</c>.
/// </summary>
public sealed record RolloutPlan
{
    /// <summary>The schema id every plan names.</summary>
    public const string SchemaId = "canarysim.plan/v1";

    /// <summary>Schema id (<see cref="SchemaId"/>).</summary>
    public string Schema { get; init; } = SchemaId;

    /// <summary>Short machine name (file-name friendly).</summary>
    public required string Name { get; init; }

    /// <summary>Human title.</summary>
    public string Title { get; init; } = "";

    /// <summary>What the plan is and where it comes from.</summary>
    public string Description { get; init; } = "";

    /// <summary>Scope shown in the evidence log (e.g. <c>planner v2, all agents</c>).</summary>
    public string Scope { get; init; } = "";

    /// <summary>Virtual start time. The default value is 2026-02-16T00:00:00Z.</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 2, 16, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How long the simulation runs (traffic keeps flowing after the last stage is reached).</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>How often the real detector is evaluated. The default value is 1 minute.</summary>
    public TimeSpan EvaluationInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Length of one evidence-log observation window. The default value is 1 day.</summary>
    public TimeSpan EvidenceWindow { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Whether the evidence log quotes the application's log lines in each window's notes (<c>[STARTUP]</c>,
    /// <c>[V2-SUMMARY]</c>, <c>[V2-METRICS]</c>, <c>[V2-ANOMALY]</c>). The default value is false.
    /// </summary>
    public bool AppLog { get; init; }

    /// <summary>
    /// Whether the simulation runs the guard's rollback procedure (clear rate limiter state, notify on-call) after each
    /// change made because something is wrong, recording its steps in the audit log and the evidence. The default value is false.
    /// </summary>
    public bool RollbackProcedure { get; init; }

    /// <summary>Router salt. The default value is <c>canarysim</c>.</summary>
    public string Salt { get; init; } = "canarysim";

    /// <summary>Phase label on route events (e.g. <c>phase8</c>).</summary>
    public string Phase { get; init; } = "";

    /// <summary>The synthetic traffic.</summary>
    public PlanTraffic Traffic { get; init; } = new();

    /// <summary>Automated progression settings.</summary>
    public ProgressionOptions Progression { get; init; } = new();

    /// <summary>The stages, in order.</summary>
    public required IReadOnlyList<PlanStage> Stages { get; init; }

    /// <summary>Rollback triggers (override the detector policy's defaults).</summary>
    public IReadOnlyList<RollbackTrigger> RollbackTriggers { get; init; } = [];

    /// <summary>The detector policy file as written in the plan (relative to the plan file), or null to use the detector defaults with <see cref="RollbackTriggers"/>.</summary>
    public string? Policy { get; init; }

    /// <summary>Faults injected by the plan itself (same syntax as <c>--inject</c>).</summary>
    public IReadOnlyList<string> Inject { get; init; } = [];

    /// <summary>Where the plan was loaded from (for messages); empty when built in code.</summary>
    public string Source { get; init; } = "";
}
