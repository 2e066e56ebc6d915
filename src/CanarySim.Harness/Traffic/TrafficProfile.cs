using System.Text.Json;
using System.Text.Json.Serialization;

namespace CanarySim.Harness.Traffic;

/// <summary>
/// The shape of synthetic traffic: how many users and sessions, how long sessions are, which agent
/// types (segments) and request kinds appear how often. Loaded from <c>fixtures/profiles/*.json</c>
/// (snake_case fields) or built in code.
/// </summary>
public sealed record TrafficProfile
{
    /// <summary>Profile name. The default value is <c>default</c>.</summary>
    public string Name { get; init; } = "default";

    /// <summary>Size of the user pool sessions are drawn from. The default value is 500.</summary>
    public int Users { get; init; } = 500;

    /// <summary>Fewest requests in one session. The default value is 1.</summary>
    public int MinRequestsPerSession { get; init; } = 1;

    /// <summary>Most requests in one session. The default value is 6.</summary>
    public int MaxRequestsPerSession { get; init; } = 6;

    /// <summary>Agent types (the router's segments) and their relative weights.</summary>
    public IReadOnlyDictionary<string, double> AgentTypes { get; init; } = new Dictionary<string, double>
    {
        ["inbox_triage"] = 0.4,
        ["knowledge_update"] = 0.2,
        ["STOCK_CHECKER"] = 0.2,
        ["SICK_CALLER"] = 0.2,
    };

    /// <summary>Request kinds (the request mix, e.g. <c>plan</c>, <c>conversation</c>) and their relative weights.</summary>
    public IReadOnlyDictionary<string, double> RequestMix { get; init; } = new Dictionary<string, double>
    {
        ["plan"] = 0.8,
        ["conversation"] = 0.2,
    };

    /// <summary>Share (0–1) of sessions that carry only a user id (bucketing falls back to it). The default value is 0.05.</summary>
    public double UserOnlyShare { get; init; } = 0.05;

    /// <summary>Share (0–1) of requests with neither session nor user id (routed as <c>unkeyed</c>). The default value is 0.</summary>
    public double UnkeyedShare { get; init; }

    /// <summary>Share (0–1) of users in the beta cohort (see <see cref="SyntheticTraffic.BetaUsers"/>). The default value is 0.02.</summary>
    public double BetaUserShare { get; init; } = 0.02;

    /// <summary>The built-in default profile.</summary>
    public static TrafficProfile Default { get; } = new();

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Loads and validates a profile file.</summary>
    /// <exception cref="InvalidDataException">The file is not valid JSON or a field is out of range; the message names the file and field.</exception>
    public static TrafficProfile Load(string path)
    {
        TrafficProfile? p;
        try
        {
            p = JsonSerializer.Deserialize<TrafficProfile>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: line {(e.LineNumber ?? 0) + 1}: {e.Message} (expected a traffic profile: name, users, min_requests_per_session, max_requests_per_session, agent_types, request_mix, user_only_share, unkeyed_share, beta_user_share).", e);
        }
        if (p is null)
        {
            throw new InvalidDataException($"{path}: empty profile; expected a JSON object.");
        }
        p.Validate(path);
        return p;
    }

    /// <summary>Checks every field; <paramref name="source"/> names the file in messages.</summary>
    /// <exception cref="InvalidDataException">A field is out of range.</exception>
    public void Validate(string source = "traffic profile")
    {
        if (Users < 1)
        {
            throw new InvalidDataException($"{source}: field 'users' must be at least 1, got {Users}.");
        }
        if (MinRequestsPerSession < 1 || MaxRequestsPerSession < MinRequestsPerSession)
        {
            throw new InvalidDataException($"{source}: fields 'min_requests_per_session' ({MinRequestsPerSession}) and 'max_requests_per_session' ({MaxRequestsPerSession}) must satisfy 1 ≤ min ≤ max.");
        }
        CheckWeights(source, "agent_types", AgentTypes);
        CheckWeights(source, "request_mix", RequestMix);
        CheckShare(source, "user_only_share", UserOnlyShare);
        CheckShare(source, "unkeyed_share", UnkeyedShare);
        CheckShare(source, "beta_user_share", BetaUserShare);
    }

    private static void CheckWeights(string source, string field, IReadOnlyDictionary<string, double> weights)
    {
        if (weights is null || weights.Count == 0)
        {
            throw new InvalidDataException($"{source}: field '{field}' needs at least one entry (name → weight).");
        }
        foreach (var (k, w) in weights)
        {
            if (!double.IsFinite(w) || w < 0)
            {
                throw new InvalidDataException($"{source}: field '{field}.{k}' must be a weight ≥ 0, got {w}.");
            }
        }
        if (weights.Values.Sum() <= 0)
        {
            throw new InvalidDataException($"{source}: field '{field}' weights must not all be 0.");
        }
    }

    private static void CheckShare(string source, string field, double share)
    {
        if (!double.IsFinite(share) || share < 0 || share > 1)
        {
            throw new InvalidDataException($"{source}: field '{field}' must be between 0 and 1, got {share}.");
        }
    }
}
