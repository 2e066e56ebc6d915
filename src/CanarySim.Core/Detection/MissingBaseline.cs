using System.Text.Json.Serialization;

namespace CanarySim.Core.Detection;

/// <summary>What a comparing check does when v1 gives nothing to compare with (no v1 run, or a zero v1 for a ratio).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MissingBaseline>))]
public enum MissingBaseline
{
    /// <summary>The check cannot be judged and the verdict says so (<c>insufficient</c>, the default): never a silent pass.</summary>
    [JsonStringEnumMemberName("insufficient")]
    Insufficient,
    /// <summary>The check is skipped with a note (<c>skip</c>); the built-in quality, cost_spike and judge checks do this.</summary>
    [JsonStringEnumMemberName("skip")]
    Skip,
}
