using System.Text.Json.Serialization;

namespace CanarySim.Core.Detection;

/// <summary>
/// What a verdict asks the rollout to do (<c>action</c> in JSON). The numeric order is
/// the severity order (none &lt; hold &lt; manual_review &lt; pause &lt; reduce_traffic &lt; rollback):
/// when several actions apply, the most severe wins.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<VerdictAction>))]
public enum VerdictAction
{
    /// <summary>Nothing to do (<c>none</c>).</summary>
    [JsonStringEnumMemberName("none")]
    None = 0,
    /// <summary>Keep the current percentage, do not promote (<c>hold</c>).</summary>
    [JsonStringEnumMemberName("hold")]
    Hold = 1,
    /// <summary>A human must look (<c>manual_review</c>).</summary>
    [JsonStringEnumMemberName("manual_review")]
    ManualReview = 2,
    /// <summary>Freeze the percentage and alert (<c>pause</c>).</summary>
    [JsonStringEnumMemberName("pause")]
    Pause = 3,
    /// <summary>Halve the canary percentage (<c>reduce_traffic</c>).</summary>
    [JsonStringEnumMemberName("reduce_traffic")]
    ReduceTraffic = 4,
    /// <summary>Kill switch on, canary at 0 % (<c>rollback</c>).</summary>
    [JsonStringEnumMemberName("rollback")]
    Rollback = 5,
}
