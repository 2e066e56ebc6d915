using System.Text.Json;
using System.Text.Json.Nodes;
using Bogus;
using CanarySim.Core.Routing;

namespace CanarySim.Harness.Traffic;

/// <summary>
/// Seeded synthetic traffic (Bogus): every enumeration starts from the seed, so the same seed and
/// profile always give the same sessions and requests. One <see cref="Faker"/> per enumeration,
/// never one per request.
/// </summary>
public sealed class SyntheticTraffic
{
    internal SyntheticTraffic(int seed, TrafficProfile profile)
    {
        profile.Validate();
        Seed = seed;
        Profile = profile;
    }

    /// <summary>Seed of the generator: the same seed and profile draw the same sessions.</summary>
    public int Seed { get; }

    /// <summary>The traffic mix the sessions are drawn from.</summary>
    public TrafficProfile Profile { get; }

    /// <summary>The same traffic with another profile.</summary>
    public SyntheticTraffic WithProfile(TrafficProfile profile) => new(Seed, profile ?? throw new ArgumentNullException(nameof(profile)));

    /// <summary>The same traffic with the profile from a file (see <see cref="TrafficProfile.Load"/>).</summary>
    public SyntheticTraffic WithProfile(string path) => new(Seed, TrafficProfile.Load(path));

    /// <summary>The user ids of the pool (deterministic for the seed), <c>u-…</c>.</summary>
    public IReadOnlyList<string> UserIds()
    {
        var faker = NewFaker(0);
        return MakeUsers(faker);
    }

    /// <summary>The users of the beta cohort (a deterministic <see cref="TrafficProfile.BetaUserShare"/> of the pool).</summary>
    public IReadOnlyList<string> BetaUsers()
    {
        var faker = NewFaker(1);
        return UserIds().Where(_ => faker.Random.Double() < Profile.BetaUserShare).ToList();
    }

    /// <summary>The first <paramref name="count"/> sessions.</summary>
    public IReadOnlyList<SyntheticSession> Sessions(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return EnumerateSessions().Take(count).ToList();
    }

    /// <summary>The first <paramref name="count"/> requests, session after session (lazy; fine for millions).</summary>
    public IEnumerable<EngineRequest> Requests(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return EnumerateSessions().SelectMany(s => s.Requests).Take(count);
    }

    /// <summary>An endless stream of sessions.</summary>
    public IEnumerable<SyntheticSession> EnumerateSessions()
    {
        var faker = NewFaker(0);
        var users = MakeUsers(faker);
        var agentTypes = Cumulative(Profile.AgentTypes);
        var mix = Cumulative(Profile.RequestMix);
        for (long n = 0; ; n++)
        {
            var r = faker.Random;
            var unkeyed = r.Double() < Profile.UnkeyedShare;
            var userOnly = !unkeyed && r.Double() < Profile.UserOnlyShare;
            var user = unkeyed ? null : users[r.Int(0, users.Count - 1)];
            var session = unkeyed || userOnly ? null : $"s-{r.Hash(12)}";
            var agentType = Pick(agentTypes, r.Double());
            var length = r.Int(Profile.MinRequestsPerSession, Profile.MaxRequestsPerSession);
            var requests = new EngineRequest[length];
            for (var i = 0; i < length; i++)
            {
                var kind = Pick(mix, r.Double());
                requests[i] = new EngineRequest(session, user, agentType, Payload(faker, kind, agentType, session, i));
            }
            yield return new SyntheticSession(session, user, agentType, requests);
        }
    }

    private Faker NewFaker(int stream) => new() { Random = new Randomizer(unchecked(Seed * 31 + stream)) };

    private List<string> MakeUsers(Faker faker)
    {
        var users = new List<string>(Profile.Users);
        for (var i = 0; i < Profile.Users; i++)
        {
            // readable and unique: a Bogus user name plus the pool index
            var name = new string(faker.Internet.UserName().Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
            users.Add($"u-{name}-{i}");
        }
        return users;
    }

    private static string Payload(Faker faker, string kind, string agentType, string? session, int turn)
    {
        var o = new JsonObject
        {
            ["kind"] = kind,
            ["agentType"] = agentType,
        };
        if (kind == "conversation")
        {
            o["conversationId"] = session ?? $"c-{faker.Random.Hash(8)}";
            o["turn"] = turn + 1;
            o["userMessage"] = faker.Lorem.Sentence(4);
            o["slots"] = new JsonObject();
        }
        else
        {
            o["objective"] = faker.Hacker.Phrase();
        }
        return o.ToJsonString(JsonOptions);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    private static (string Name, double Upto)[] Cumulative(IReadOnlyDictionary<string, double> weights)
    {
        var total = weights.Values.Sum();
        var acc = 0.0;
        // ordinal order so dictionary insertion order (file layout) does not change a seeded run
        return weights.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (kv.Key, acc += kv.Value / total))
            .ToArray();
    }

    private static string Pick((string Name, double Upto)[] cumulative, double u)
    {
        foreach (var (name, upto) in cumulative)
        {
            if (u < upto)
            {
                return name;
            }
        }
        return cumulative[^1].Name;
    }
}
