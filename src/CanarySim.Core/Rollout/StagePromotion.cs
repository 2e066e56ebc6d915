using System.Globalization;
using CanarySim.Core.Gating;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;

namespace CanarySim.Core.Rollout;

/// <summary>
/// Acts on a release gate report. GO moves the router to the next stage's percentage
/// (canary mode) — unless the rollout is rolled back or paused, or the next stage needs a passed
/// rollback rehearsal (required before 100 %) that is missing; GO at the last stage holds and
/// monitors. NO-GO rolls back at once (<c>assistant_engine=v2</c>: kill switch on, every request to
/// the previous engine), naming every failed check. Every change goes through the
/// <see cref="RollbackController"/>, so it is in the settings history and the audit log.
/// </summary>
public sealed class StagePromotion
{
    private readonly RollbackController _controller;

    /// <summary>Creates a promotion step over the controller that owns the router settings.</summary>
    public StagePromotion(RollbackController controller, StagePromotionOptions? options = null)
    {
        _controller = controller ?? throw new ArgumentNullException(nameof(controller));
        Options = options ?? new StagePromotionOptions();
    }

    /// <summary>The options in use.</summary>
    public StagePromotionOptions Options { get; }

    /// <summary>Applies <paramref name="report"/>; <paramref name="rehearsal"/> is the latest rollback rehearsal, if any.</summary>
    public PromotionOutcome Apply(GateReport report, RehearsalResult? rehearsal = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var actor = Options.Actor;
        if (!report.OverallGo)
        {
            var failed = string.Join(", ", report.Defects.Select(d => d.Check));
            var reason = $"release gate stage {report.Stage} NO-GO ({failed}): {report.RollbackAction}";
            return new PromotionOutcome("rolled_back", reason, _controller.ManualRollback(actor, reason));
        }
        if (!double.TryParse(report.NextStage, NumberStyles.Float, CultureInfo.InvariantCulture, out var next))
        {
            return new PromotionOutcome("hold", $"release gate stage {report.Stage} GO: {report.NextStage}", null);
        }
        if (!_controller.CanPromote)
        {
            return new PromotionOutcome("blocked", $"release gate stage {report.Stage} GO, but the rollout is {Describe(_controller.State)}{(_controller.NeedsManualReview ? " with a manual review pending" : "")}: not promoted to {Pct(next)}", null);
        }
        if (next >= Options.RehearsalRequiredFromPct && rehearsal is not { Passed: true })
        {
            var why = rehearsal is null ? "no rollback rehearsal has run" : "the last rollback rehearsal failed";
            return new PromotionOutcome("blocked", $"release gate stage {report.Stage} GO, but {why}: a passed rollback rehearsal is required before {Pct(next)}", null);
        }
        var change = _controller.UpdateConfig(actor, $"release gate stage {report.Stage} GO: promoted to {Pct(next)}",
            s => s with { Mode = RouterMode.Canary, CanaryPct = next });
        return new PromotionOutcome("promoted", $"release gate stage {report.Stage} GO: promoted to {Pct(next)}", change);
    }

    private static string Describe(RollbackState state) => state switch
    {
        RollbackState.Paused => "paused",
        RollbackState.RollingBack => "rolling back",
        RollbackState.RolledBack => "rolled back",
        _ => "active",
    };

    private static string Pct(double p) => p.ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
