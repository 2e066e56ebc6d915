using System.Text.Json.Serialization;

namespace CanarySim.Core.Reporting;

/// <summary>How a simulated rollout ended: written as its wire name in the result JSON, the report and a sweep's runs.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SimulationOutcome>))]
public enum SimulationOutcome
{
    /// <summary>The last stage met its exit criteria and gates (<c>completed</c>).</summary>
    [JsonStringEnumMemberName("completed")]
    Completed,
    /// <summary>The rollout rolled back, or the kill switch was on at the end (<c>rolled_back</c>).</summary>
    [JsonStringEnumMemberName("rolled_back")]
    RolledBack,
    /// <summary>The plan ran out of time before its last stage finished (<c>in_progress</c>).</summary>
    [JsonStringEnumMemberName("in_progress")]
    InProgress,
}
