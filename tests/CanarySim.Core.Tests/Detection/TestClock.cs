namespace CanarySim.Core.Tests.Detection;

/// <summary>A virtual clock for tests (Microsoft.Extensions.TimeProvider.Testing is not available here).</summary>
internal sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    public static readonly DateTimeOffset Epoch = new(2026, 2, 19, 10, 0, 0, TimeSpan.Zero);

    private DateTimeOffset _now = start;

    public TestClock() : this(Epoch)
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
