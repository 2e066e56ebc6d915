using System.Text.Json.Serialization;

namespace CanarySim.Core.Gating;

/// <summary>How one (case, role) changed from baseline to candidate in a shadow diff.</summary>
public enum ShadowOutcome
{
    /// <summary>Passed on the baseline, failed on the candidate.</summary>
    [JsonStringEnumMemberName("regressed")]
    Regressed,

    /// <summary>Failed on the baseline, passed on the candidate.</summary>
    [JsonStringEnumMemberName("improved")]
    Improved,

    /// <summary>Same result on both sides.</summary>
    [JsonStringEnumMemberName("unchanged")]
    Unchanged,

    /// <summary>Only the candidate has a first run.</summary>
    [JsonStringEnumMemberName("missing_in_baseline")]
    MissingInBaseline,

    /// <summary>Only the baseline has a first run.</summary>
    [JsonStringEnumMemberName("missing_in_candidate")]
    MissingInCandidate,
}
