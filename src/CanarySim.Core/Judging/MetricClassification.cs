using System.Text.Json.Serialization;

namespace CanarySim.Core.Judging;

/// <summary>Kayenta's per-metric classification of v2 (experiment) against v1 (control).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MetricClassification>))]
public enum MetricClassification
{
    /// <summary>No meaningful difference (<c>pass</c>).</summary>
    [JsonStringEnumMemberName("pass")]
    Pass,
    /// <summary>v2 is significantly higher (<c>high</c>).</summary>
    [JsonStringEnumMemberName("high")]
    High,
    /// <summary>v2 is significantly lower (<c>low</c>).</summary>
    [JsonStringEnumMemberName("low")]
    Low,
    /// <summary>A side has no data after NaN removal (<c>nodata</c>).</summary>
    [JsonStringEnumMemberName("nodata")]
    Nodata,
}
