using CanarySim.Core.Detection;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;

namespace CanarySim.Features.Steps;

/// <summary>
/// The real control plane of one scenario, wired over its <see cref="ScenarioWorld"/>: the canary
/// router (audited into the rehearsal's audit log), its executor over the rehearsal's engines,
/// and the guard (regression detector + rollback controller) that owns the router settings.
/// Nothing here decides anything: every decision is made by the CanarySim types it holds.
/// </summary>
public sealed class ControlPlane
{
    /// <summary>The actor recorded when a scenario changes settings ("QA" in the history).</summary>
    public const string QaActor = "qa";

    private readonly ScenarioWorld _rehearsal;
    private CanaryRouter? _router;
    private CanaryGuard? _guard;
    private DetectorOptions _policy = new();

    /// <summary>Wires the control plane over the scenario's rehearsal context.</summary>
    public ControlPlane(ScenarioWorld rehearsal)
    {
        _rehearsal = rehearsal;
        // The unkeyed random source is seeded so a scenario is reproducible; the clock is chosen when
        // the router is built (see Router).
        RouterOptions = new RouterOptions { Random = new Random(rehearsal.Seed) };
    }

    /// <summary>Router options (set timeouts before the first request).</summary>
    public RouterOptions RouterOptions { get; }

    /// <summary>
    /// Detector policy. Replacing it gives the scenario a new guard over the same stores (settings, history and
    /// audit are kept; the new policy starts a new analysis run), so a policy step may follow a routing step.
    /// </summary>
    public DetectorOptions Policy
    {
        get => _policy;
        set
        {
            _policy = value;
            _guard = null;
        }
    }

    /// <summary>Router counters.</summary>
    public RouterMetrics Metrics { get; } = new();

    /// <summary>
    /// The canary router over the rehearsal's live settings. It reads the rehearsal's fake clock, except
    /// when the engines are WireMock stubs over real HTTP: then its v2 and shadow budgets must race the
    /// real calls, so they run on the system clock (and steps assert that a budget fired, not how long it took).
    /// </summary>
    public CanaryRouter Router => _router ??= BuildRouter();

    private CanaryRouter BuildRouter()
    {
        RouterOptions.TimeProvider = _rehearsal.WireMock is null ? _rehearsal.Time : TimeProvider.System;
        return new CanaryRouter(_rehearsal.Settings, RouterOptions, Metrics, new AuditRouteObserver(_rehearsal.Audit, _rehearsal.Time));
    }

    /// <summary>An executor over the rehearsal's current engines (WireMock-backed once stubbed).</summary>
    public CanaryExecutor Executor => new(Router, _rehearsal.V1, _rehearsal.V2, Metrics);

    /// <summary>Detector and rollback controller over the rehearsal's stores and virtual clock.</summary>
    public CanaryGuard Guard => _guard ??= new CanaryGuard(_rehearsal.Metrics, _rehearsal.Settings, _rehearsal.SettingsStore, _rehearsal.Audit, Policy, _rehearsal.Time);

    /// <summary>The rollback controller: every settings change of a scenario goes through it (history + audit).</summary>
    public RollbackController Controller => Guard.Controller;

    /// <summary>The settings the router reads now.</summary>
    public RouterSettings Settings => _rehearsal.Settings.Current;

    /// <summary>Changes the router settings as QA would, through the controller.</summary>
    public void Configure(string why, Func<RouterSettings, RouterSettings> update) => Controller.UpdateConfig(QaActor, why, update);

    /// <summary>The last route decision a step made.</summary>
    public RouteDecision? LastDecision { get; set; }

    /// <summary>The last request a step ran through the executor.</summary>
    public CanaryRunResult? LastRun { get; set; }
}
