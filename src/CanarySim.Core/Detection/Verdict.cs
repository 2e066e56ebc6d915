using System.Text.Json.Serialization;
using CanarySim.Core.Judging;

namespace CanarySim.Core.Detection;

/// <summary>
/// The result of one evaluation. JSON (see <see cref="VerdictJson"/>):
/// <c>verdict</c>, <c>action</c>, <c>breaches[]</c> (<c>check</c>, <c>value</c>, <c>threshold</c>,
/// <c>reason</c>, <c>action</c>), <c>v1</c> and <c>v2</c> aggregates, <c>samples</c> per engine, plus
/// <c>at</c>, <c>window</c>, <c>pending[]</c> (breaches not yet sustained long enough), <c>inconclusive[]</c>
/// (checks neither passing nor failing), <c>errors[]</c> (checks whose source failed), <c>notes[]</c>
/// and, when the judge is on, <c>judge</c>.
/// </summary>
public sealed record Verdict
{
    /// <summary>pass, fail, inconclusive or insufficient_data.</summary>
    [JsonPropertyName("verdict")]
    public required VerdictOutcome Outcome { get; init; }

    /// <summary>The most severe action of the breaches (none when there are none).</summary>
    public required VerdictAction Action { get; init; }

    /// <summary>Every breached check, in table order.</summary>
    public IReadOnlyList<Breach> Breaches { get; init; } = [];

    /// <summary>Checks over their threshold whose sustain duration has not elapsed yet (they hold, they do not act).</summary>
    public IReadOnlyList<Breach> Pending { get; init; } = [];

    /// <summary>Checks that could not be decided either way (the judge's marginal score): the rollout pauses for a human, unlike a pending breach.</summary>
    public IReadOnlyList<Breach> Inconclusive { get; init; } = [];

    /// <summary>Checks whose metric source failed: an error measurement, never a pass.</summary>
    public IReadOnlyList<CheckError> Errors { get; init; } = [];

    /// <summary>v1 aggregates.</summary>
    public required WindowAggregates V1 { get; init; }

    /// <summary>v2 aggregates.</summary>
    public required WindowAggregates V2 { get; init; }

    /// <summary>Samples per engine in the window.</summary>
    public required SampleCounts Samples { get; init; }

    /// <summary>When the evaluation ran (from the detector's <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>The window evaluated, e.g. <c>last 100 runs</c>.</summary>
    public string Window { get; init; } = "";

    /// <summary>Why checks were skipped, e.g. <c>min_samples (V2: 12 &lt; 30)</c>.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The statistical judge's result, when the policy opts metrics in.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JudgeResult? Judge { get; init; }

    /// <summary>True when the action asks the rollout to change course (manual_review or more severe).</summary>
    [JsonIgnore]
    public bool IsNegative => Action >= VerdictAction.ManualReview;
}
