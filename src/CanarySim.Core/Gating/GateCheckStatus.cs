using System.Text.Json.Serialization;

namespace CanarySim.Core.Gating;

/// <summary>Outcome of one gate check: wire values <c>pass</c>, <c>fail</c>, <c>skipped</c>.</summary>
public enum GateCheckStatus
{
    /// <summary>The check passed.</summary>
    [JsonStringEnumMemberName("pass")]
    Pass,

    /// <summary>The check failed; the gate is NO-GO.</summary>
    [JsonStringEnumMemberName("fail")]
    Fail,

    /// <summary>The check was not applicable (e.g. no baseline correction rate).</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,
}
