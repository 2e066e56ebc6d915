namespace CanarySim.Core.Gating;

/// <summary>How one (case, role) changed from baseline to candidate in a shadow diff.</summary>
public enum ShadowOutcome
{
    /// <summary>Passed on the baseline, failed on the candidate.</summary>
    Regressed,

    /// <summary>Failed on the baseline, passed on the candidate.</summary>
    Improved,

    /// <summary>Same result on both sides.</summary>
    Unchanged,

    /// <summary>Only the candidate has a first run.</summary>
    MissingInBaseline,

    /// <summary>Only the baseline has a first run.</summary>
    MissingInCandidate,
}
