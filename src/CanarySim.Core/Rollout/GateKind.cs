using System.Text.Json.Serialization;

namespace CanarySim.Core.Rollout;

/// <summary>What must say yes before a stage may be left.</summary>
public enum GateKind
{
    /// <summary>The real regression detector's latest verdict is <c>pass</c> (not inconclusive, not insufficient data).</summary>
    [JsonStringEnumMemberName("detector")]
    Detector,
    /// <summary>A person approves (in simulation: auto-approved and recorded with the approver's name).</summary>
    [JsonStringEnumMemberName("manual_approval")]
    ManualApproval,
    /// <summary>The release gate over recorded UAT artifacts says GO.</summary>
    [JsonStringEnumMemberName("release_gate")]
    ReleaseGate,
    /// <summary>Rollback rehearsal: engine set to v1, smoke scenarios pass, evidence recorded, stage restored.</summary>
    [JsonStringEnumMemberName("rollback_rehearsal")]
    RollbackRehearsal,
}
