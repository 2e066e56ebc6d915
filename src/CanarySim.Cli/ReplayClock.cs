namespace CanarySim.Cli;

/// <summary>A clock that shows whatever time a replay has reached (samples carry their own timestamps).</summary>
internal sealed class ReplayClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the clock to <paramref name="at"/> (never backwards).</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        if (at > _now)
        {
            _now = at;
        }
    }
}
