using CanarySim.Core.Rollback;
using CanarySim.Core.Rollout;
using CanarySim.Core.Routing;

namespace CanarySim.Features.Steps;

/// <summary>
/// How step text becomes typed values beyond Reqnroll's own conversions: durations, yes/no words and
/// the control plane's states written as they read (<c>rolled back</c>, <c>rolling_back</c>).
/// </summary>
[Binding]
public sealed class ValueSteps
{
    /// <summary>A duration: <c>1600ms</c>, <c>30 s</c>, <c>5 min</c>, <c>48 hours</c>, <c>2 days</c> or <c>00:05:00</c>.</summary>
    [StepArgumentTransformation]
    public static TimeSpan Duration(string text) => StepText.ParseDuration(text);

    /// <summary>true/false, yes/no, on/off, enabled/disabled.</summary>
    [StepArgumentTransformation]
    public static bool Flag(string text) => (bool)StepText.Convert(text, typeof(bool))!;

    /// <summary>A router mode: primary, shadow, canary or candidate.</summary>
    [StepArgumentTransformation]
    public static RouterMode Mode(string text) => (RouterMode)StepText.Convert(text, typeof(RouterMode))!;

    /// <summary>A rollout state: active, paused, rolling_back or rolled_back (spaces, <c>-</c> and <c>_</c> alike).</summary>
    [StepArgumentTransformation]
    public static RollbackState State(string text) => (RollbackState)StepText.Convert(text, typeof(RollbackState))!;

    /// <summary>A tiered rollout status: running, completed or rolled back.</summary>
    [StepArgumentTransformation]
    public static RolloutStatus Status(string text) => (RolloutStatus)StepText.Convert(text, typeof(RolloutStatus))!;

    /// <summary>An evidence stage kind: shadow, canary or progressive.</summary>
    [StepArgumentTransformation]
    public static StageKind Stage(string text) => (StageKind)StepText.Convert(text, typeof(StageKind))!;
}
