namespace CanarySim.Core.Gating;

/// <summary>
/// Every default of the release gate and shadow diff, in one place.
/// </summary>
public sealed record GateOptions
{
    /// <summary>Default initial read buffer of <see cref="UatArtifactReader"/>: 64 KiB.</summary>
    public const int DefaultReaderBufferBytes = 64 * 1024;

    /// <summary>The stages a gate can be run for, in rollout order. The default value is 10, 25, 50, 100 (percent).</summary>
    public IReadOnlyList<int> Stages { get; init; } = [10, 25, 50, 100];

    /// <summary>What follows a GO at the last stage. The default value is <c>hold_100pct_monitor</c>.</summary>
    public string FinalStageAction { get; init; } = "hold_100pct_monitor";

    /// <summary>The rollback action on NO-GO (back to the previous engine). The default value is <c>assistant_engine=v2</c>.</summary>
    public string RollbackAction { get; init; } = "assistant_engine=v2";

    /// <summary>Percentile of first-run latency compared with the SLA (nearest rank). The default value is 95.</summary>
    public double LatencyPercentile { get; init; } = 95;

    /// <summary>The runbook's agreed latency SLA, used only when a caller supplies none. The default value is 5000 ms.</summary>
    public double LatencyP95SlaMs { get; init; } = 5000;

    /// <summary>Label of a gate run when none is given (report files become <c>canary_release_gate_stage10.*</c>). The default value is <c>canary</c>.</summary>
    public string DefaultLabel { get; init; } = "canary";

    /// <summary>Label of a shadow diff when none is given (<c>shadow_shadow_diff.*</c>). The default value is <c>shadow</c>.</summary>
    public string DefaultShadowLabel { get; init; } = "shadow";

    /// <summary>At most this many cases are listed per defect (the count is always complete). The default value is 100.</summary>
    public int MaxCasesPerDefect { get; init; } = 100;

    /// <summary>
    /// Whether a critical case the baseline has but the candidate lacks blocks the canary like a
    /// regression (a missing run cannot show it did not regress). The default value is true.
    /// </summary>
    public bool MissingCriticalBlocksCanary { get; init; } = true;

    /// <summary>The next stage after a GO at <paramref name="stage"/>, e.g. <c>25</c> after 10, or <see cref="FinalStageAction"/> after the last.</summary>
    public string NextStage(int stage)
    {
        var index = Stages.ToList().IndexOf(stage);
        if (index < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stage), stage, $"unknown stage; expected one of {string.Join(", ", Stages)}");
        }
        return index == Stages.Count - 1 ? FinalStageAction : Stages[index + 1].ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
