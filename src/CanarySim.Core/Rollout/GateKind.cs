namespace CanarySim.Core.Rollout;

/// <summary>What must say yes before a stage may be left.</summary>
public enum GateKind
{
    /// <summary>The real regression detector's latest verdict is <c>pass</c> (not inconclusive, not insufficient data).</summary>
    Detector,
    /// <summary>A person approves (in simulation: auto-approved and recorded with the approver's name).</summary>
    ManualApproval,
    /// <summary>The release gate over recorded UAT artifacts says GO.</summary>
    ReleaseGate,
    /// <summary>Rollback rehearsal: engine set to v1, smoke scenarios pass, evidence recorded, stage restored.</summary>
    RollbackRehearsal,
}

/// <summary>Wire names of <see cref="GateKind"/>.</summary>
public static class GateKindNames
{
    /// <summary><c>detector</c>, <c>manual_approval</c>, <c>release_gate</c> or <c>rollback_rehearsal</c>.</summary>
    public static string ToWire(this GateKind kind) => kind switch
    {
        GateKind.Detector => "detector",
        GateKind.ManualApproval => "manual_approval",
        GateKind.ReleaseGate => "release_gate",
        _ => "rollback_rehearsal",
    };

    /// <summary>Parses a wire name (case-insensitive).</summary>
    public static bool TryParse(string? text, out GateKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "detector": kind = GateKind.Detector; return true;
            case "manual_approval": kind = GateKind.ManualApproval; return true;
            case "release_gate": kind = GateKind.ReleaseGate; return true;
            case "rollback_rehearsal": kind = GateKind.RollbackRehearsal; return true;
            default: kind = default; return false;
        }
    }
}
