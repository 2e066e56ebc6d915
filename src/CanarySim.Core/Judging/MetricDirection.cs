using System.Text.Json.Serialization;

namespace CanarySim.Core.Judging;

/// <summary>Kayenta: which direction of change of a metric is a regression.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MetricDirection>))]
public enum MetricDirection
{
    /// <summary>Both an increase and a decrease fail (<c>either</c>).</summary>
    [JsonStringEnumMemberName("either")]
    Either,
    /// <summary>Only an increase fails, e.g. latency or cost (<c>increase</c>).</summary>
    [JsonStringEnumMemberName("increase")]
    Increase,
    /// <summary>Only a decrease fails, e.g. quality (<c>decrease</c>).</summary>
    [JsonStringEnumMemberName("decrease")]
    Decrease,
}
