using CanarySim.Core.Rollback;
using CanarySim.Core.Rollout;

namespace CanarySim.Features.Steps;

/// <summary>The evidence log one scenario builds, window by window, and what the guard did at the end of each window.</summary>
public sealed class EvidenceRecord
{
    /// <summary>The log (title set by the first step that writes to it).</summary>
    public EvidenceLog? Log { get; set; }

    /// <summary>The last closed window's row.</summary>
    public EvidenceRow? LastRow { get; set; }

    /// <summary>Whether the regression guard evaluates at the end of every window.</summary>
    public bool GuardWatches { get; set; }

    /// <summary>What the guard did at the end of the last window.</summary>
    public GuardOutcome? Guard { get; set; }
}
