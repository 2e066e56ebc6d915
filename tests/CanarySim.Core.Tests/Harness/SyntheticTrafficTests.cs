using CanarySim.Harness.Traffic;

namespace CanarySim.Core.Tests.Harness;

public sealed class SyntheticTrafficTests
{
    [Test]
    public void Same_seed_gives_the_same_requests()
    {
        var a = Traffic.Synthetic(seed: 7).Requests(500).ToList();
        var b = Traffic.Synthetic(seed: 7).Requests(500).ToList();
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a, Has.Count.EqualTo(500));
    }

    [Test]
    public void Enumerating_twice_from_one_instance_repeats_the_run()
    {
        var traffic = Traffic.Synthetic(seed: 3);
        var first = traffic.Sessions(50);
        var second = traffic.Sessions(50);
        Assert.That(second, Is.EqualTo(first).Using<SyntheticSession>(SameSession));
    }

    [Test]
    public void Different_seeds_give_different_runs()
    {
        var a = Traffic.Synthetic(seed: 1).Requests(100).Select(r => r.SessionId).ToList();
        var b = Traffic.Synthetic(seed: 2).Requests(100).Select(r => r.SessionId).ToList();
        Assert.That(a, Is.Not.EqualTo(b));
    }

    [Test]
    public void Sessions_follow_the_profile()
    {
        var profile = new TrafficProfile
        {
            Users = 20,
            MinRequestsPerSession = 2,
            MaxRequestsPerSession = 4,
            AgentTypes = new Dictionary<string, double> { ["STOCK_CHECKER"] = 3, ["SICK_CALLER"] = 1 },
            UserOnlyShare = 0,
        };
        var sessions = Traffic.Synthetic(11, profile).Sessions(2000);
        var users = Traffic.Synthetic(11, profile).UserIds();

        Assert.That(sessions.All(s => s.Requests.Count is >= 2 and <= 4), Is.True);
        Assert.That(sessions.All(s => s.SessionId is not null && users.Contains(s.UserId!)), Is.True);
        Assert.That(sessions.All(s => s.Requests.All(r => r.SessionId == s.SessionId && r.UserId == s.UserId && r.Segment == s.AgentType)), Is.True);
        var stockShare = sessions.Count(s => s.AgentType == "STOCK_CHECKER") / (double)sessions.Count;
        Assert.That(stockShare, Is.EqualTo(0.75).Within(0.04));
        Assert.That(users.Distinct().Count(), Is.EqualTo(20));
    }

    [Test]
    public void Unkeyed_and_user_only_shares_are_honoured()
    {
        var profile = new TrafficProfile { UnkeyedShare = 0.1, UserOnlyShare = 0.2, MinRequestsPerSession = 1, MaxRequestsPerSession = 1 };
        var sessions = Traffic.Synthetic(5, profile).Sessions(5000);
        var unkeyed = sessions.Count(s => s.SessionId is null && s.UserId is null) / 5000.0;
        var userOnly = sessions.Count(s => s.SessionId is null && s.UserId is not null) / 5000.0;
        Assert.That(unkeyed, Is.EqualTo(0.1).Within(0.02));
        Assert.That(userOnly, Is.EqualTo(0.9 * 0.2).Within(0.02));
    }

    [Test]
    public void Requests_carry_a_json_payload_of_their_kind()
    {
        var requests = Traffic.Synthetic(9).Requests(200).ToList();
        Assert.That(requests.All(r => r.Payload.StartsWith('{') && r.Payload.Contains("\"agentType\"", StringComparison.Ordinal)), Is.True);
        Assert.That(requests.Any(r => r.Payload.Contains("\"kind\":\"conversation\"", StringComparison.Ordinal)), Is.True);
        Assert.That(requests.Any(r => r.Payload.Contains("\"kind\":\"plan\"", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public void Profile_files_load_and_bad_ones_name_the_file_and_field()
    {
        var dir = Directory.CreateTempSubdirectory("canarysim-profile-");
        try
        {
            var good = Path.Combine(dir.FullName, "good.json");
            File.WriteAllText(good, """{"name":"peak","users":50,"agent_types":{"SICK_CALLER":1},"request_mix":{"conversation":1}}""");
            var p = TrafficProfile.Load(good);
            Assert.That(p.Name, Is.EqualTo("peak"));
            Assert.That(p.Users, Is.EqualTo(50));

            var bad = Path.Combine(dir.FullName, "bad.json");
            File.WriteAllText(bad, """{"users":0}""");
            var e = Assert.Throws<InvalidDataException>(() => TrafficProfile.Load(bad));
            Assert.That(e!.Message, Does.Contain("bad.json").And.Contain("'users'"));

            var unknown = Path.Combine(dir.FullName, "unknown.json");
            File.WriteAllText(unknown, """{"userz":3}""");
            var e2 = Assert.Throws<InvalidDataException>(() => TrafficProfile.Load(unknown));
            Assert.That(e2!.Message, Does.Contain("unknown.json").And.Contain("userz"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Shipped_profiles_are_valid()
    {
        var files = Directory.GetFiles(CanarySim.Harness.Scenarios.RepoPaths.Fixture("profiles"), "*.json");
        Assert.That(files, Is.Not.Empty);
        foreach (var f in files)
        {
            Assert.DoesNotThrow(() => Traffic.Synthetic(1).WithProfile(f).Requests(10).ToList(), f);
        }
    }

    private static bool SameSession(SyntheticSession a, SyntheticSession b) =>
        a.SessionId == b.SessionId && a.UserId == b.UserId && a.AgentType == b.AgentType && a.Requests.SequenceEqual(b.Requests);
}
