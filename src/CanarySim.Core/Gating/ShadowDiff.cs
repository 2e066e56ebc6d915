namespace CanarySim.Core.Gating;

/// <summary>
/// Compares the first runs of a baseline and a candidate artifact per
/// (case, role). Any regressed critical scenario means "do not start canary".
/// </summary>
public sealed class ShadowDiff
{
    private readonly GateOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a diff with <paramref name="options"/> (defaults when null).</summary>
    public ShadowDiff(GateOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new GateOptions();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Reads both artifacts (first runs only) and compares them; throws <see cref="UatArtifactException"/> on bad input.</summary>
    public ShadowDiffReport Compare(UatArtifactInput baseline, UatArtifactInput candidate, string? label = null)
    {
        if (label is not null && !ReleaseGate.IsSafeLabel(label))
        {
            throw new ArgumentException($"label \"{label}\" must be non-empty and use only letters, digits, '.', '_' or '-' (it names the report files)", nameof(label));
        }
        var before = new FirstRunScorer();
        before.Add(baseline);
        var after = new FirstRunScorer();
        after.Add(candidate);
        var a = before.Winners().ToDictionary(w => (w.Case.CaseId, w.Case.Role));
        var b = after.Winners().ToDictionary(w => (w.Case.CaseId, w.Case.Role));
        var entries = new List<ShadowDiffEntry>();
        foreach (var key in a.Keys.Union(b.Keys).OrderBy(k => k.CaseId, StringComparer.Ordinal).ThenBy(k => k.Role))
        {
            a.TryGetValue(key, out var x);
            b.TryGetValue(key, out var y);
            var critical = (x?.Case.Critical ?? false) || (y?.Case.Critical ?? false);
            var outcome = (x, y) switch
            {
                (null, _) => ShadowOutcome.MissingInBaseline,
                (_, null) => ShadowOutcome.MissingInCandidate,
                _ when x.Case.Passed && !y.Case.Passed => ShadowOutcome.Regressed,
                _ when !x.Case.Passed && y.Case.Passed => ShadowOutcome.Improved,
                _ => ShadowOutcome.Unchanged,
            };
            var blocks = critical && (outcome == ShadowOutcome.Regressed
                || (outcome == ShadowOutcome.MissingInCandidate && _options.MissingCriticalBlocksCanary));
            entries.Add(new ShadowDiffEntry(key.CaseId, WireName.Of(key.Role), outcome, x?.Case.Passed, y?.Case.Passed, critical, blocks));
        }
        return new ShadowDiffReport(label ?? _options.DefaultShadowLabel, before.Inputs[0], after.Inputs[0], entries, _time.GetUtcNow());
    }
}
