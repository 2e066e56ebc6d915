using System.Text.Json.Serialization;

namespace CanarySim.Core.Rollback;

/// <summary>
/// What kind of settings change a history entry is. Its wire name (<see cref="WireName"/>) is the text the
/// stores keep in <c>settings_history.kind</c>, the API and the audit events show, and notifications carry.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SettingsChangeKind>))]
public enum SettingsChangeKind
{
    /// <summary>A settings change from the API, the CLI or a rollout advance (<c>config</c>).</summary>
    [JsonStringEnumMemberName("config")]
    Config,

    /// <summary>Kill switch on, canary at 0 %, automatic or manual (<c>rollback</c>).</summary>
    [JsonStringEnumMemberName("rollback")]
    Rollback,

    /// <summary>One step of a staged rollback: the percentage halves, the last step goes to 0 % (<c>staged_rollback</c>).</summary>
    [JsonStringEnumMemberName("staged_rollback")]
    StagedRollback,

    /// <summary>The canary percentage multiplied by the reduce-traffic factor (<c>reduce_traffic</c>).</summary>
    [JsonStringEnumMemberName("reduce_traffic")]
    ReduceTraffic,

    /// <summary>The percentage frozen until a resume (<c>pause</c>).</summary>
    [JsonStringEnumMemberName("pause")]
    Pause,

    /// <summary>A human must look before the rollout goes on (<c>manual_review</c>).</summary>
    [JsonStringEnumMemberName("manual_review")]
    ManualReview,

    /// <summary>The kill switch turned off again after a rollback (<c>re_enable</c>).</summary>
    [JsonStringEnumMemberName("re_enable")]
    ReEnable,

    /// <summary>A pause or a pending manual review ended (<c>resume</c>).</summary>
    [JsonStringEnumMemberName("resume")]
    Resume,

    /// <summary>A decision that changes no setting: a live rollout's stage approval (<c>approve</c>).</summary>
    [JsonStringEnumMemberName("approve")]
    Approve,
}
