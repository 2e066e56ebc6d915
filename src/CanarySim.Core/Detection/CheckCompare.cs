using System.Text.Json.Serialization;

namespace CanarySim.Core.Detection;

/// <summary>What a declared check compares with its bounds.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckCompare>))]
public enum CheckCompare
{
    /// <summary>The engine's aggregate itself (<c>value</c>, the default).</summary>
    [JsonStringEnumMemberName("value")]
    Value,
    /// <summary>v1 − v2 (<c>drop</c>).</summary>
    [JsonStringEnumMemberName("drop")]
    Drop,
    /// <summary>v2 − v1 (<c>increase</c>).</summary>
    [JsonStringEnumMemberName("increase")]
    Increase,
    /// <summary>v2 ÷ v1 (<c>ratio</c>); a zero v1 has no ratio (the check has no baseline).</summary>
    [JsonStringEnumMemberName("ratio")]
    Ratio,
    /// <summary>The Mann-Whitney judge over both engines' values (<c>judge</c>).</summary>
    [JsonStringEnumMemberName("judge")]
    Judge,
}
