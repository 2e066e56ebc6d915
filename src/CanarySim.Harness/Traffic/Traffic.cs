namespace CanarySim.Harness.Traffic;

/// <summary>Entry point for synthetic traffic, read like Bogus: <c>Traffic.Synthetic(seed: 42).WithProfile("fixtures/profiles/steady.json").Requests(1000)</c>.</summary>
public static class Traffic
{
    /// <summary>Seeded synthetic traffic with <paramref name="profile"/> (default <see cref="TrafficProfile.Default"/>).</summary>
    public static SyntheticTraffic Synthetic(int seed, TrafficProfile? profile = null) => new(seed, profile ?? TrafficProfile.Default);
}
