using System.Text.Json;
using CanarySim.Core.Audit;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;

namespace CanarySim.Core.Rollout;

/// <summary>
/// The rollback rehearsal, required before 100 %: sets the engine to v1 (kill switch on, recorded
/// in the settings history), runs the smoke scenarios through the real executor, records the
/// evidence path in the audit log (<c>rehearsal</c> event), and restores the previous stage only
/// when every smoke scenario passed; after a failure the router stays on v1.
/// </summary>
public sealed class RollbackRehearsal
{
    private readonly RollbackController _controller;
    private readonly CanaryExecutor _executor;
    private readonly IAuditSink _audit;
    private readonly TimeProvider _time;

    /// <summary>Creates a rehearsal over the live router (through its executor) and the rollback controller that owns its settings.</summary>
    public RollbackRehearsal(RollbackController controller, CanaryExecutor executor, IAuditSink audit, TimeProvider? time = null, RollbackRehearsalOptions? options = null)
    {
        _controller = controller ?? throw new ArgumentNullException(nameof(controller));
        _executor = executor ?? throw new ArgumentNullException(nameof(executor));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = time ?? TimeProvider.System;
        Options = options ?? new RollbackRehearsalOptions();
    }

    /// <summary>The options in use.</summary>
    public RollbackRehearsalOptions Options { get; }

    /// <summary>The request sent for a smoke scenario: session <c>rehearsal-&lt;id&gt;</c>, body <c>{"scenario":"&lt;id&gt;","rehearsal":true}</c>.</summary>
    public static EngineRequest SmokeRequest(string scenario) =>
        new($"rehearsal-{scenario}", null, null, JsonSerializer.Serialize(new Dictionary<string, object> { ["scenario"] = scenario, ["rehearsal"] = true }));

    /// <summary>Runs the rehearsal.</summary>
    /// <param name="evidencePath">Where the caller stores the evidence (its Markdown: CanarySim.Reports); recorded in the audit event.</param>
    /// <param name="cancellationToken">Cancels the smoke runs.</param>
    public async Task<RehearsalResult> RunAsync(string evidencePath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(evidencePath);
        var actor = Options.Actor;
        var before = _controller.Current;
        _controller.UpdateConfig(actor, $"rollback rehearsal: engine set to v1 for smoke {string.Join(", ", Options.SmokeScenarios)}", s => s with { KillSwitch = true });

        var smoke = new List<SmokeResult>();
        foreach (var scenario in Options.SmokeScenarios)
        {
            smoke.Add(await SmokeAsync(scenario, cancellationToken).ConfigureAwait(false));
        }
        var passed = smoke.Count > 0 && smoke.All(s => s.Passed);
        if (passed)
        {
            _controller.UpdateConfig(actor, $"rollback rehearsal passed ({string.Join(", ", Options.SmokeScenarios)}); previous stage restored; evidence {evidencePath}", _ => before);
        }
        var at = _time.GetUtcNow();
        var result = new RehearsalResult(passed, smoke, evidencePath, before, _controller.Current, passed, at);
        _audit.Append(new AuditEvent(at, "rehearsal", JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["passed"] = passed,
            ["evidence_path"] = evidencePath,
            ["restored"] = passed,
            ["smoke"] = smoke.Select(s => new Dictionary<string, object?>
            {
                ["scenario"] = s.Scenario,
                ["passed"] = s.Passed,
                ["served_by"] = s.ServedBy is { } servedBy ? WireName.Of(servedBy) : null,
                ["reason"] = WireName.Of(s.Reason),
                ["detail"] = s.Detail,
            }).ToList(),
        })));
        return result;
    }

    private async Task<SmokeResult> SmokeAsync(string scenario, CancellationToken cancellationToken)
    {
        CanaryRunResult run;
        try
        {
            run = await _executor.RunAsync(SmokeRequest(scenario), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // v1 itself failed: the rollback target does not work, which is what a rehearsal is for.
            return new SmokeResult(scenario, false, null, RouteReason.KillSwitch, $"v1 failed: {ex.Message}");
        }
        var decision = run.Decision;
        var ok = run.ServedBy == Engine.V1 && decision.Reason == RouteReason.KillSwitch && !run.Fallback;
        var detail = ok
            ? $"served by v1 (kill switch) in {run.ServedLatency.TotalMilliseconds:0} ms"
            : $"served by {WireName.Of(run.ServedBy)} (reason {WireName.Of(decision.Reason)}), expected v1 because of the kill switch";
        return new SmokeResult(scenario, ok, run.ServedBy, decision.Reason, detail);
    }
}
