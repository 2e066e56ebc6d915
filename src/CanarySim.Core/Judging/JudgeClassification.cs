using System.Text.Json.Serialization;

namespace CanarySim.Core.Judging;

/// <summary>Kayenta's final classification of a canary from its score.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JudgeClassification>))]
public enum JudgeClassification
{
    /// <summary>Score at or above the pass threshold and no critical metric failed (<c>pass</c>).</summary>
    [JsonStringEnumMemberName("pass")]
    Pass,
    /// <summary>Score at or above the marginal threshold but below pass (<c>marginal</c>).</summary>
    [JsonStringEnumMemberName("marginal")]
    Marginal,
    /// <summary>Score below the marginal threshold, or a critical metric failed (<c>fail</c>).</summary>
    [JsonStringEnumMemberName("fail")]
    Fail,
}
