namespace CanarySim.Core.Rollout;

/// <summary>
/// What a <see cref="RolloutDriver"/> cannot read from the guard: the decision diffs compared so far
/// (for divergence) and figures aggregated over a period of the current stage (for exit criteria with
/// a <c>for</c> duration). Without it, divergence is unknown and such criteria must hold at every
/// evaluation of the period.
/// </summary>
public interface IRolloutSignals
{
    /// <summary>Decisions of v1 and v2 compared so far.</summary>
    long DiffsCompared { get; }

    /// <summary>Of <see cref="DiffsCompared"/>, how many differed.</summary>
    long DiffsChanged { get; }

    /// <summary>The value of <paramref name="metric"/> (a <see cref="RolloutMetrics.Names"/> name) over <paramref name="period"/> ending at <paramref name="end"/>; null when not measured.</summary>
    double? Over(string metric, TimeSpan period, DateTimeOffset end);
}
