using System.Text.Json.Serialization;

namespace CanarySim.Core.Detection;

/// <summary>Argo Rollouts: the phase of one measurement (one evaluation) — never a bare bool.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MeasurementPhase>))]
public enum MeasurementPhase
{
    /// <summary>The verdict passed (<c>successful</c>).</summary>
    [JsonStringEnumMemberName("successful")]
    Successful,
    /// <summary>The verdict failed (<c>failed</c>).</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
    /// <summary>The verdict was inconclusive (<c>inconclusive</c>).</summary>
    [JsonStringEnumMemberName("inconclusive")]
    Inconclusive,
    /// <summary>The metric source failed: no verdict, and certainly not a pass (<c>error</c>).</summary>
    [JsonStringEnumMemberName("error")]
    Error,
    /// <summary>A check breaches but its sustain window has not elapsed (<c>pending</c>): hold, count toward no limit, carry on when it clears.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,
    /// <summary>Too few samples to judge; counts toward no limit (<c>insufficient_data</c>).</summary>
    [JsonStringEnumMemberName("insufficient_data")]
    InsufficientData,
}
