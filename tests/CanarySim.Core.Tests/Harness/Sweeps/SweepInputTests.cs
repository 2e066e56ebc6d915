using CanarySim.Harness.Simulation;
using CanarySim.Harness.Sweeps;

namespace CanarySim.Core.Tests.Harness.Sweeps;

public sealed class SweepInputTests
{
    private static readonly DateTimeOffset Start = new(2025, 10, 6, 0, 0, 0, TimeSpan.Zero);

    [TestCase("1-500", 1, 500)]
    [TestCase("7", 7, 7)]
    [TestCase(" 0-3 ", 0, 3)]
    public void Seed_ranges_read_inclusive(string text, int first, int last)
    {
        var r = SeedRange.Parse(text);
        Assert.That((r.First, r.Last, r.Count), Is.EqualTo((first, last, last - first + 1)));
    }

    [TestCase("5-1", "below the first")]
    [TestCase("a-b", "expected A-B")]
    [TestCase("-3-5", "expected A-B")]
    [TestCase("1-", "expected A-B")]
    [TestCase("1-2-3", "expected A-B")]
    [TestCase("0-20000000", "at most 10,000,000")]
    public void Bad_seed_ranges_say_what_is_wrong(string text, string message) =>
        Assert.That(() => SeedRange.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contain(message).And.Message.Contain(text));

    [TestCase("0/4", "between 1 and 4")]
    [TestCase("5/4", "between 1 and 4")]
    [TestCase("1/0", "at least 1")]
    [TestCase("1", "expected i/N")]
    [TestCase("x/4", "expected i/N")]
    [TestCase("-1/4", "expected i/N")]
    public void Bad_shards_say_what_is_wrong(string text, string message) =>
        Assert.That(() => SweepShard.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contain(message));

    [Test]
    public void Shards_split_the_seeds_into_disjoint_sets_that_cover_the_range()
    {
        var seeds = SeedRange.Parse("10-32");
        var shards = Enumerable.Range(1, 4).Select(i => SweepShard.Parse($"{i}/4").Seeds(seeds).ToList()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(shards[0], Is.EqualTo(new[] { 10, 14, 18, 22, 26, 30 }), "shard 1 starts at the first seed and takes every 4th");
            Assert.That(shards[3], Is.EqualTo(new[] { 13, 17, 21, 25, 29 }));
            Assert.That(shards.SelectMany(s => s).Order(), Is.EqualTo(Enumerable.Range(10, 23)), "every seed once");
            Assert.That(SweepShard.Parse("2/4").Holds(seeds, 11), Is.True);
            Assert.That(SweepShard.Parse("2/4").Holds(seeds, 12), Is.False);
        });
    }

    [Test]
    public void A_range_expands_into_one_scenario_per_step_after_the_healthy_one()
    {
        var scenarios = InjectionRange.Scenarios(["v2.latency+10%..+80% step 10% at day 9"], Start);
        Assert.Multiple(() =>
        {
            Assert.That(scenarios.Select(s => s.Name), Is.EqualTo(new[]
            {
                "healthy", "v2.latency+10% at day 9", "v2.latency+20% at day 9", "v2.latency+30% at day 9", "v2.latency+40% at day 9",
                "v2.latency+50% at day 9", "v2.latency+60% at day 9", "v2.latency+70% at day 9", "v2.latency+80% at day 9",
            }));
            Assert.That(scenarios[3].Size, Is.EqualTo(30));
            Assert.That(scenarios[3].Unit, Is.EqualTo("%"));
            Assert.That(scenarios[3].Range, Is.EqualTo("v2.latency+10%..+80% step 10% at day 9"));
            Assert.That(scenarios[3].Injection!.Factor, Is.EqualTo(1.3).Within(1e-12), "each step is parsed as simulate --inject parses it");
            Assert.That(scenarios[3].Injection!.At, Is.EqualTo(TimeSpan.FromDays(9)));
            Assert.That(scenarios[0].IsHealthy, Is.True);
        });
    }

    [Test]
    public void Descending_and_negative_ranges_and_single_injections_expand_too()
    {
        var scenarios = InjectionRange.Scenarios(["v2.quality-2..-6 step -2 at day 9 for 2h", "v2.errors=20% at day 10", "v2.quality-4 at day 9 for 2h"], Start);
        Assert.That(scenarios.Select(s => s.Name), Is.EqualTo(new[]
        {
            "healthy", "v2.quality-2 at day 9 for 2h", "v2.quality-4 at day 9 for 2h", "v2.quality-6 at day 9 for 2h", "v2.errors=20% at day 10",
        }), "a single injection equal to a range step is kept once");
        Assert.That(scenarios[2].Injection!.Add, Is.EqualTo(-4));
    }

    [TestCase("v2.latency+10%..+80% step 0% at day 9", "must not be zero")]
    [TestCase("v2.latency+10%..+80% step -10% at day 9", "use a positive step")]
    [TestCase("v2.latency+80%..+10% step 10% at day 9", "use a negative step")]
    [TestCase("v2.latency+10%..+80ms step 10% at day 9", "share one unit")]
    [TestCase("v2.latency+1%..+5000% step 1% at day 9", "at most 1,000")]
    [TestCase("v2.latency+10%..+80%", "expected '<what><from>..<to> step <step> at <when>")]
    [TestCase("v2.errors+10%..+20% step 10% at day 9", "'errors' takes a share")]
    public void Bad_ranges_say_what_is_wrong(string text, string message) =>
        Assert.That(() => InjectionRange.Expand(text, Start), Throws.TypeOf<FormatException>().With.Message.Contain(message));

    [Test]
    public void Nearest_rank_percentiles_of_rollback_times()
    {
        var d = SweepDistribution.Of([50, 10, 40, 30, 20, 60, 70, 80, 90, 100])!;
        Assert.That((d.Min, d.Median, d.P90, d.Max), Is.EqualTo((10L, 50L, 90L, 100L)), "⌈0.5·10⌉ = 5th and ⌈0.9·10⌉ = 9th smallest");
        Assert.That(SweepDistribution.Of([]), Is.Null);
        Assert.That(SweepDistribution.Of([7])!.P90, Is.EqualTo(7));
    }

    [Test]
    public void An_injection_the_simulator_cannot_read_is_named()
    {
        var ex = Assert.Throws<FormatException>(() => InjectionRange.Expand("v2.latency at day 9", Start));
        Assert.That(ex!.Message, Does.Contain("v2.latency at day 9"));
        Assert.That(FaultInjectionParser.Parse("v2.latency+40% at day 9", Start).Factor, Is.EqualTo(1.4).Within(1e-12));
    }
}
