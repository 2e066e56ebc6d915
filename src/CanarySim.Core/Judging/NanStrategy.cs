using System.Text.Json.Serialization;

namespace CanarySim.Core.Judging;

/// <summary>Kayenta: what the judge does with NaN values in a metric's samples.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NanStrategy>))]
public enum NanStrategy
{
    /// <summary>Drop NaN values; a metric left without data is classified <c>Nodata</c> (<c>remove</c>).</summary>
    [JsonStringEnumMemberName("remove")]
    Remove,
    /// <summary>Replace NaN values with zero (<c>replace</c>).</summary>
    [JsonStringEnumMemberName("replace")]
    Replace,
}
