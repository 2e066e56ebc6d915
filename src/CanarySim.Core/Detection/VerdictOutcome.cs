using System.Text.Json.Serialization;

namespace CanarySim.Core.Detection;

/// <summary>The outcome of one evaluation (<c>verdict</c> in JSON).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VerdictOutcome>))]
public enum VerdictOutcome
{
    /// <summary>Every check passed (<c>pass</c>).</summary>
    [JsonStringEnumMemberName("pass")]
    Pass,
    /// <summary>At least one check breached (<c>fail</c>).</summary>
    [JsonStringEnumMemberName("fail")]
    Fail,
    /// <summary>Nothing breached yet, but something is not clean either (a breach not yet sustained, a marginal judge score): hold, never promote (<c>inconclusive</c>).</summary>
    [JsonStringEnumMemberName("inconclusive")]
    Inconclusive,
    /// <summary>Fewer v2 samples than the minimum and no policy violation (<c>insufficient_data</c>).</summary>
    [JsonStringEnumMemberName("insufficient_data")]
    InsufficientData,
}
