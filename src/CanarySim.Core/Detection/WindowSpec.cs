namespace CanarySim.Core.Detection;

/// <summary>
/// A window over one engine's samples: the last <see cref="Runs"/> runs (<see cref="WindowKind.Count"/>)
/// or the runs with <c>at</c> in (now − <see cref="Duration"/>, now] (<see cref="WindowKind.Time"/>).
/// </summary>
/// <param name="Kind">Count or time.</param>
/// <param name="Runs">Run count for a count window.</param>
/// <param name="Duration">Duration for a time window.</param>
public readonly record struct WindowSpec(WindowKind Kind, int Runs, TimeSpan Duration)
{
    /// <summary>A window over the last <paramref name="runs"/> runs.</summary>
    public static WindowSpec LastRuns(int runs) =>
        runs > 0 ? new(WindowKind.Count, runs, TimeSpan.Zero) : throw new ArgumentOutOfRangeException(nameof(runs), runs, "A run window needs at least 1 run.");

    /// <summary>A window over the last <paramref name="duration"/>.</summary>
    public static WindowSpec LastDuration(TimeSpan duration) =>
        duration > TimeSpan.Zero ? new(WindowKind.Time, 0, duration) : throw new ArgumentOutOfRangeException(nameof(duration), duration, "A time window needs a positive duration.");

    /// <inheritdoc />
    public override string ToString() => Kind == WindowKind.Count ? $"last {Runs} runs" : $"last {Rollout.PlanDuration.Format(Duration)}";
}
