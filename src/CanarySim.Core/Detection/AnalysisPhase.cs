using System.Text.Json.Serialization;

namespace CanarySim.Core.Detection;

/// <summary>Argo Rollouts: the phase of an analysis run over successive measurements.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AnalysisPhase>))]
public enum AnalysisPhase
{
    /// <summary>Still measuring, no limit exceeded (<c>running</c>).</summary>
    [JsonStringEnumMemberName("running")]
    Running,
    /// <summary>Completed with no limit exceeded (<c>successful</c>).</summary>
    [JsonStringEnumMemberName("successful")]
    Successful,
    /// <summary>More failed measurements than the failure limit (<c>failed</c>).</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
    /// <summary>More inconclusive measurements than the inconclusive limit: hold for a human (<c>inconclusive</c>).</summary>
    [JsonStringEnumMemberName("inconclusive")]
    Inconclusive,
    /// <summary>More consecutive error measurements than the consecutive-error limit (<c>error</c>).</summary>
    [JsonStringEnumMemberName("error")]
    Error,
}
