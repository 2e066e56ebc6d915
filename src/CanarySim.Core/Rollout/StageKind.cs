using System.Text.Json.Serialization;

namespace CanarySim.Core.Rollout;

/// <summary>The kind of a rollout stage.</summary>
public enum StageKind
{
    /// <summary>0 % of traffic: v1 serves, v2 runs beside it and its actions are logged, not executed.</summary>
    [JsonStringEnumMemberName("shadow")]
    Shadow,
    /// <summary>A small canary step (e.g. 1, 2, 5 %): limited cohort.</summary>
    [JsonStringEnumMemberName("canary")]
    Canary,
    /// <summary>A progressive tier (e.g. 10 / 25 / 50 / 75 / 100 %): broader traffic.</summary>
    [JsonStringEnumMemberName("progressive")]
    Progressive,
}
