using System.Text.Json.Serialization;

namespace CanarySim.Core.Rollback;

/// <summary>Where the <see cref="RollbackController"/> stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RollbackState>))]
public enum RollbackState
{
    /// <summary>Rollout proceeding normally (<c>active</c>).</summary>
    [JsonStringEnumMemberName("active")]
    Active,
    /// <summary>Percentage frozen after a <c>pause</c> verdict until a human resumes (<c>paused</c>).</summary>
    [JsonStringEnumMemberName("paused")]
    Paused,
    /// <summary>A staged rollback is halving the percentage (<c>rolling_back</c>).</summary>
    [JsonStringEnumMemberName("rolling_back")]
    RollingBack,
    /// <summary>Kill switch on, canary at 0 %; only a manual re-enable leaves this state (<c>rolled_back</c>).</summary>
    [JsonStringEnumMemberName("rolled_back")]
    RolledBack,
}
