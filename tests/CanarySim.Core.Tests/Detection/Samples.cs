namespace CanarySim.Core.Tests.Detection;

/// <summary>Sample builders for detector tests.</summary>
internal static class Samples
{
    public static Sample Healthy(Engine engine, DateTimeOffset at, double latency = 800, double quality = 95, double cost = 1.5) =>
        new() { Engine = engine, At = at, LatencyMs = latency, Quality = quality, CostCents = cost, Tokens = 100 };

    /// <summary>n healthy samples of an engine, all at <paramref name="at"/>.</summary>
    public static IEnumerable<Sample> Many(int n, Engine engine, DateTimeOffset at, Func<int, Sample, Sample>? shape = null) =>
        Enumerable.Range(0, n).Select(i => shape is null ? Healthy(engine, at) : shape(i, Healthy(engine, at)));

    /// <summary>A store with <paramref name="v1"/> healthy v1 samples and <paramref name="v2"/> v2 samples shaped by <paramref name="shape"/>.</summary>
    public static InMemoryMetricsStore Store(FakeTimeProvider clock, int v1 = 100, int v2 = 100, Func<int, Sample, Sample>? shape = null)
    {
        var store = new InMemoryMetricsStore(clock);
        store.AddRange(Many(v1, Engine.V1, clock.GetUtcNow()));
        store.AddRange(Many(v2, Engine.V2, clock.GetUtcNow(), shape));
        return store;
    }
}
