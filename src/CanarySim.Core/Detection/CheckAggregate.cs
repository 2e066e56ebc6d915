using System.Text.Json.Serialization;

namespace CanarySim.Core.Detection;

/// <summary>
/// How a declared check reduces its metric over the window. <c>count</c> is the runs where the
/// metric is non-zero (a bool counts as 1/0), <c>rate</c> that count divided by the runs,
/// <c>per_hour</c> that count per hour of window; percentiles are nearest rank.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckAggregate>))]
public enum CheckAggregate
{
    /// <summary>Arithmetic mean (<c>mean</c>).</summary>
    [JsonStringEnumMemberName("mean")]
    Mean,
    /// <summary>Smallest value (<c>min</c>).</summary>
    [JsonStringEnumMemberName("min")]
    Min,
    /// <summary>Largest value (<c>max</c>).</summary>
    [JsonStringEnumMemberName("max")]
    Max,
    /// <summary>Sum of the values (<c>sum</c>).</summary>
    [JsonStringEnumMemberName("sum")]
    Sum,
    /// <summary>Runs where the metric is non-zero (<c>count</c>).</summary>
    [JsonStringEnumMemberName("count")]
    Count,
    /// <summary>Runs where the metric is non-zero, divided by the runs (<c>rate</c>, a fraction 0–1).</summary>
    [JsonStringEnumMemberName("rate")]
    Rate,
    /// <summary>Runs where the metric is non-zero per hour of window (<c>per_hour</c>).</summary>
    [JsonStringEnumMemberName("per_hour")]
    PerHour,
    /// <summary>Median, nearest rank (<c>p50</c>).</summary>
    [JsonStringEnumMemberName("p50")]
    P50,
    /// <summary>90th percentile, nearest rank (<c>p90</c>).</summary>
    [JsonStringEnumMemberName("p90")]
    P90,
    /// <summary>95th percentile, nearest rank (<c>p95</c>).</summary>
    [JsonStringEnumMemberName("p95")]
    P95,
    /// <summary>99th percentile, nearest rank (<c>p99</c>).</summary>
    [JsonStringEnumMemberName("p99")]
    P99,
}
