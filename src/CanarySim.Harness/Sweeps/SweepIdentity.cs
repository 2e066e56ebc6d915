using System.Globalization;
using System.Security.Cryptography;
using CanarySim.Core.Rollout;

namespace CanarySim.Harness.Sweeps;

/// <summary>
/// What makes two sweep outputs parts of the same sweep: the plan, the policy, the seeds, the requests per run, the
/// scenarios and the simulator version. Shards merge only when every field agrees.
/// </summary>
/// <param name="Plan">The plan's name.</param>
/// <param name="PlanFile">The plan file's name (no folder: shards may run on different machines).</param>
/// <param name="PlanSha256">SHA-256 of the plan file's bytes (hex).</param>
/// <param name="Policy">The policy file's name, or <c>plan rollback triggers</c>.</param>
/// <param name="PolicySha256">SHA-256 of the policy file's bytes (null without one).</param>
/// <param name="Seeds">The whole sweep's seeds, <c>A-B</c>.</param>
/// <param name="Requests">Requests per run.</param>
/// <param name="Scenarios">The scenarios, healthy first.</param>
/// <param name="Version">The simulator's version.</param>
public sealed record SweepIdentity(
    string Plan,
    string PlanFile,
    string PlanSha256,
    string Policy,
    string? PolicySha256,
    string Seeds,
    long Requests,
    IReadOnlyList<SweepScenarioInfo> Scenarios,
    string Version)
{
    /// <summary>The policy named when none is given: the detector defaults overridden by the plan's rollback triggers.</summary>
    public const string PlanTriggers = "plan rollback triggers";

    /// <summary>The simulator version a sweep records.</summary>
    public static string CurrentVersion { get; } =
        typeof(SweepIdentity).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The identity of a sweep of the plan read from <paramref name="planPath"/> (and the policy file, if any): files by name and SHA-256 of their bytes.</summary>
    public static SweepIdentity Of(string planPath, RolloutPlan plan, string? policyPath, SeedRange seeds, long? requests, IReadOnlyList<SweepScenario> scenarios)
    {
        ArgumentNullException.ThrowIfNull(planPath);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(scenarios);
        return new SweepIdentity(plan.Name, Path.GetFileName(planPath), Sha256(planPath),
            policyPath is null ? PlanTriggers : Path.GetFileName(policyPath), policyPath is null ? null : Sha256(policyPath),
            seeds.ToString(), requests ?? plan.Traffic.Requests, scenarios.Select(SweepScenarioInfo.Of).ToList(), CurrentVersion);
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>Each way <paramref name="other"/> is a different sweep, in words naming the field and both values (empty when the same).</summary>
    public IReadOnlyList<string> Differences(SweepIdentity other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var d = new List<string>();
        void Check(string field, string a, string b)
        {
            if (!string.Equals(a, b, StringComparison.Ordinal))
            {
                d.Add($"{field}: '{a}' vs '{b}'");
            }
        }
        Check("plan", Plan, other.Plan);
        Check("plan file", PlanFile, other.PlanFile);
        Check("plan content (sha256)", PlanSha256, other.PlanSha256);
        Check("policy", Policy, other.Policy);
        Check("policy content (sha256)", PolicySha256 ?? "none", other.PolicySha256 ?? "none");
        Check("seeds", Seeds, other.Seeds);
        Check("requests per run", Requests.ToString(CultureInfo.InvariantCulture), other.Requests.ToString(CultureInfo.InvariantCulture));
        if (!Scenarios.SequenceEqual(other.Scenarios))
        {
            d.Add($"scenarios: [{string.Join(", ", Scenarios.Select(s => s.Name))}] vs [{string.Join(", ", other.Scenarios.Select(s => s.Name))}]");
        }
        Check("canarysim version", Version, other.Version);
        return d;
    }
}
