namespace CanarySim.Harness.Simulation;

/// <summary>The simulation's virtual clock: moves only when the simulator sets it (no timers needed in-process).</summary>
internal sealed class SimulationClock(DateTimeOffset start) : TimeProvider
{
    private readonly DateTimeOffset _start = start;
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => (_now - _start).Ticks;

    public void SetUtcNow(DateTimeOffset now)
    {
        if (now < _now)
        {
            throw new ArgumentOutOfRangeException(nameof(now), "virtual time only moves forward");
        }
        _now = now;
    }
}
