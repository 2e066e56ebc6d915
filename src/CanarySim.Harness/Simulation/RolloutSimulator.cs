using System.Globalization;
using System.Text;
using System.Text.Json;
using CanarySim.Core;
using CanarySim.Core.Audit;
using CanarySim.Core.Detection;
using CanarySim.Core.Gating;
using CanarySim.Core.Reporting;
using CanarySim.Core.Rollback;
using CanarySim.Core.Rollout;
using CanarySim.Core.Routing;


namespace CanarySim.Harness.Simulation;

/// <summary>
/// Runs a rollout plan against synthetic traffic in virtual time, through the real control
/// plane — <see cref="CanaryRouter"/> routes every request, the real <see cref="RegressionDetector"/>
/// and <see cref="RollbackController"/> (wired as a <see cref="CanaryGuard"/>) judge and act on an
/// <see cref="InMemoryMetricsStore"/> fed with every run, the real <see cref="ReleaseGate"/> judges
/// release-gate artifacts and <see cref="DecisionDiff"/> compares shadowed decisions, while a
/// <see cref="RolloutStageMachine"/> moves through the plan's stages. Only the engines (seeded
/// synthetic answers) and the clock (a <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/>) are simulated.
/// </summary>
/// <remarks>
/// Time advances one evaluation interval at a time: the interval's requests are spread evenly over it
/// (weighted by the traffic profile), then the guard evaluates once at the interval's end. Nothing reads
/// the wall clock, so the same plan, options and seed give byte-identical outputs.
/// </remarks>
public sealed class RolloutSimulator
{
    private readonly RolloutPlan _plan;
    private readonly SimulationOptions _options;

    /// <summary>Prepares a simulation of <paramref name="plan"/>.</summary>
    /// <exception cref="PlanValidationException">When the plan is invalid, names a trigger the detector cannot honour or injects a metric nothing knows.</exception>
    /// <exception cref="FormatException">An injection of <see cref="SimulationOptions.Injections"/> names a metric neither the plan nor the policy knows.</exception>
    public RolloutSimulator(RolloutPlan plan, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        PlanValidator.EnsureValid(plan);
        _plan = plan;
        _options = options ?? new SimulationOptions();
        DetectorOptions = _options.Policy?.Clone() ?? (plan.Policy is { } file ? LoadPolicy(plan, Path.Combine(_options.ArtifactBase, file)) : BuildDetectorOptions(plan));
        var known = RunMetrics.Known(plan, DetectorOptions);
        try
        {
            FaultInjectionParser.Check(FaultInjectionParser.ParseAll(plan.Inject, plan.Start), known);
        }
        catch (FormatException ex)
        {
            throw new PlanValidationException([new PlanValidationError(plan.Source, 0, "inject", ex.Message)]);
        }
        FaultInjectionParser.Check(_options.Injections, known);
    }

    /// <summary>The plan this simulator runs, as validated when it was loaded.</summary>
    public RolloutPlan Plan => _plan;

    /// <summary>Reads the plan's <c>policy</c> file; a missing or bad file is a plan error naming the field.</summary>
    private static DetectorOptions LoadPolicy(RolloutPlan plan, string path)
    {
        try
        {
            return PolicyLoader.Parse(File.ReadAllText(path), path);
        }
        catch (PolicyException ex)
        {
            throw new PlanValidationException([new PlanValidationError(plan.Source, 0, "policy", ex.Message)]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PlanValidationException([new PlanValidationError(plan.Source, 0, "policy", $"cannot read the policy file {path}: {ex.Message}")]);
        }
    }

    /// <summary>The detector policy in force: <see cref="SimulationOptions.Policy"/>, else the detector defaults overridden by the plan's rollback triggers.</summary>
    public DetectorOptions DetectorOptions { get; }

    /// <summary>
    /// Runs the whole plan. With <see cref="SimulationEngines.WireMock"/> the WireMock server is started
    /// (or <see cref="WireMockEngineOptions.Server"/> reset) first and the engines are called over HTTP;
    /// the outputs are the same as in-process for the same seed, and <see cref="SimulationResult.WireMock"/>
    /// tells what went over the wire.
    /// </summary>
    /// <exception cref="CanarySim.Harness.WireMock.WireMockSetupException">WireMock mode: a mapping file is missing or the server did not start.</exception>
    /// <exception cref="SimulationEngineException">WireMock mode: a request's HTTP outcome kept disagreeing with its seeded outcome.</exception>
    public SimulationResult Run(CancellationToken cancellationToken = default)
    {
        if (_options.Engines != SimulationEngines.WireMock)
        {
            return new SimulationRun(_plan, _options, DetectorOptions.Clone()).Execute(cancellationToken);
        }
        using var wire = WireMockEngines.Start(_plan.Traffic.Agents, _options.WireMock, cancellationToken);
        var result = new SimulationRun(_plan, _options, DetectorOptions.Clone(), wire).Execute(cancellationToken);
        return result with { WireMock = wire.Stats() };
    }

    /// <summary>
    /// Requests simulated: <see cref="SimulationOptions.Requests"/>, else the plan's <c>traffic.requests</c> —
    /// capped at <see cref="WireMockEngineOptions.DefaultRequests"/> with WireMock engines (each request is an HTTP call).
    /// </summary>
    public static long EffectiveRequests(RolloutPlan plan, SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Requests is { } requested)
        {
            return requested;
        }
        return options.Engines == SimulationEngines.WireMock ? Math.Min(plan.Traffic.Requests, options.WireMock.DefaultRequests) : plan.Traffic.Requests;
    }

    /// <summary>Maps the plan's rollback triggers onto the detector policy; a trigger whose action differs from the detector's fixed action for that check is a plan error.</summary>
    public static DetectorOptions BuildDetectorOptions(RolloutPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var o = new DetectorOptions { StagedRollback = plan.Progression.StagedRollback };
        var errors = new List<PlanValidationError>();
        for (var i = 0; i < plan.RollbackTriggers.Count; i++)
        {
            var t = plan.RollbackTriggers[i];
            var path = $"rollback_triggers[{i}]";
            void Bad(string field, string message) => errors.Add(new PlanValidationError(plan.Source, t.Line, $"{path}.{field}", message));
            if (t.Action is { } action)
            {
                var expected = WireName.Of(CheckNames.ActionFor(t.Check));
                if (t.Check != CheckNames.MinSamples && action != expected)
                {
                    Bad("action", $"the detector's action for '{t.Check}' is '{expected}', got '{action}'");
                }
            }
            if (t.Threshold is { } th)
            {
                var isRate = t.Check is CheckNames.ErrorRate or CheckNames.FallbackRate;
                if (isRate && th > 1)
                {
                    Bad("threshold", $"'{t.Check}' takes a fraction between 0 and 1 (0.05 = 5 %), got {th.ToString(CultureInfo.InvariantCulture)}");
                    continue;
                }
                switch (t.Check)
                {
                    case CheckNames.MinSamples: o.MinSamples = (int)th; break;
                    case CheckNames.Quality: o.QualityDropMax = th; break;
                    case CheckNames.Latency: o.LatencyP95MaxMs = th; break;
                    case CheckNames.Cost: o.CostMaxCents = th; break;
                    case CheckNames.ErrorRate: o.ErrorRateMax = th; break;
                    case CheckNames.LatencySustained: o.LatencySustainedP95MaxMs = th; break;
                    case CheckNames.CostSpike:
                        if (th < 1)
                        {
                            Bad("threshold", "'cost_spike' takes a multiple of the projected cost of at least 1 (3 = 3×)");
                            continue;
                        }
                        o.CostSpikeFactor = th;
                        break;
                    case CheckNames.Complaints: o.ComplaintsMax = (int)th; break;
                    case CheckNames.FallbackRate: o.FallbackRateMax = th; break;
                    case CheckNames.PolicyViolation:
                        if (th != 0)
                        {
                            Bad("threshold", "'policy_violation' breaches on any violation; its threshold can only be 0");
                        }
                        break;
                }
            }
            if (t.Sustained is { } s)
            {
                switch (t.Check)
                {
                    case CheckNames.ErrorRate: o.ErrorRateSustainFor = s; break;
                    case CheckNames.LatencySustained: o.LatencySustainFor = s; break;
                    case CheckNames.Complaints:
                        if (s <= TimeSpan.Zero)
                        {
                            Bad("sustained", "'complaints' counts over a positive period such as 1h");
                            continue;
                        }
                        o.ComplaintsWindow = s;
                        break;
                    default:
                        if (s > TimeSpan.Zero)
                        {
                            Bad("sustained", $"'{t.Check}' is judged at each evaluation; only error_rate, latency_sustained and complaints take a duration");
                        }
                        break;
                }
            }
        }
        var invalid = o.Validate();
        errors.AddRange(invalid.Select(e => new PlanValidationError(plan.Source, 0, "rollback_triggers", e)));
        if (errors.Count > 0)
        {
            throw new PlanValidationException(errors);
        }
        return o;
    }
}
