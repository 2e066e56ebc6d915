using System.Text.Json.Serialization;

namespace CanarySim.Core.Detection;

/// <summary>How an evaluation window is delimited.</summary>
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
