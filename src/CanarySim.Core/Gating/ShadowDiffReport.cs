namespace CanarySim.Core.Gating;

/// <summary>Shadow diff of a baseline (v2) against a candidate (v3 shadow) run.</summary>
/// <param name="Label">Report label.</param>
/// <param name="Baseline">Baseline artifact.</param>
/// <param name="Candidate">Candidate artifact.</param>
/// <param name="Entries">Every (case, role) ordered by case id then role.</param>
/// <param name="GeneratedAt">When the diff was produced.</param>
public sealed record ShadowDiffReport(string Label, UatArtifactHeader Baseline, UatArtifactHeader Candidate, IReadOnlyList<ShadowDiffEntry> Entries, DateTimeOffset GeneratedAt)
{
    /// <summary>Entries that block the canary (a regressed critical case, or a missing one when configured).</summary>
    public IReadOnlyList<ShadowDiffEntry> Blocking => Entries.Where(e => e.BlocksCanary).ToList();

    /// <summary>Start the canary only when no critical scenario regressed.</summary>
    public bool StartCanary => !Entries.Any(e => e.BlocksCanary);

    /// <summary><c>START CANARY</c> or <c>DO NOT START CANARY</c>.</summary>
    public string Verdict => StartCanary ? "START CANARY" : "DO NOT START CANARY";

    /// <summary>Entries with the given outcome.</summary>
    public IReadOnlyList<ShadowDiffEntry> With(ShadowOutcome outcome) => Entries.Where(e => e.Outcome == outcome).ToList();

    /// <summary>Report file name without extension: <c>&lt;label&gt;_shadow_diff</c>.</summary>
    public string FileStem => $"{Label}_shadow_diff";
}
