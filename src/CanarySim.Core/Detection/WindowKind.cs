using System.Text.Json.Serialization;

namespace CanarySim.Core.Detection;

/// <summary>SPEC §2: how an evaluation window is delimited.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WindowKind>))]
public enum WindowKind
{
    /// <summary>The last N runs per engine (<c>count</c>).</summary>
    [JsonStringEnumMemberName("count")]
    Count,
    /// <summary>The runs of the last duration per engine (<c>time</c>).</summary>
    [JsonStringEnumMemberName("time")]
    Time,
}
