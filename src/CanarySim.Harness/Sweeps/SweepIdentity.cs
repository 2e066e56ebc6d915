using System.Globalization;
using System.Security.Cryptography;
using CanarySim.Core.Rollout;

namespace CanarySim.Harness.Sweeps;

/// <summary>
/// What makes two sweep outputs parts of the same sweep: the plan and every file it reads, the policy, the seeds, the
/// requests per run, the scenarios (injections as written) and the simulator build. Files are named by the SHA-256 of
/// their bytes and the build by the SHA-256 of the simulator's assemblies, so shards merge only when the inputs and the
/// binaries really are the same, not merely when names and version numbers agree.
/// </summary>
/// <param name="Plan">The plan's name.</param>
/// <param name="PlanFile">The plan file's name (no folder: shards may run on different machines).</param>
/// <param name="PlanSha256">SHA-256 of the plan file's bytes (hex).</param>
/// <param name="Policy">The policy file's name, or <c>plan rollback triggers</c>.</param>
/// <param name="PolicySha256">SHA-256 of the policy file's bytes (null without one).</param>
/// <param name="Seeds">The whole sweep's seeds, <c>A-B</c>.</param>
/// <param name="Requests">Requests per run.</param>
/// <param name="Scenarios">The scenarios, healthy first.</param>
/// <param name="PlanFilesSha256">SHA-256 over the files the plan reads (its <c>policy:</c> file and release-gate artifacts), each
/// as its path as written and the SHA-256 of its bytes (<c>missing</c> when absent), in path order; null when the plan reads none.</param>
/// <param name="Version">The simulator's version (for people; <paramref name="Build"/> decides).</param>
/// <param name="Build">SHA-256 over the bytes of the simulator's assemblies (CanarySim.Core, CanarySim.Harness) that ran the sweep.</param>
public sealed record SweepIdentity(
    string Plan,
    string PlanFile,
    string PlanSha256,
    string Policy,
    string? PolicySha256,
    string Seeds,
    long Requests,
    IReadOnlyList<SweepScenarioInfo> Scenarios,
    string? PlanFilesSha256,
    string Version,
    string Build)
{
    /// <summary>The policy named when none is given: the detector defaults overridden by the plan's rollback triggers.</summary>
    public const string PlanTriggers = "plan rollback triggers";

    /// <summary>The simulator version a sweep records.</summary>
    public static string CurrentVersion { get; } =
        typeof(SweepIdentity).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The build this process runs: SHA-256 over the bytes of the Core and Harness assemblies, in that order.</summary>
    public static string CurrentBuild { get; } = BuildOf(typeof(CanarySim.Core.Detection.RegressionDetector).Assembly, typeof(SweepIdentity).Assembly);

    private static string BuildOf(params System.Reflection.Assembly[] assemblies)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var assembly in assemblies)
        {
            // Loaded from a file in every way canarysim runs (not single-file); without one, the module's id stands in.
            hash.AppendData(assembly.Location.Length > 0 ? File.ReadAllBytes(assembly.Location) : assembly.ManifestModule.ModuleVersionId.ToByteArray());
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The identity of a sweep of the plan read from <paramref name="planPath"/> (and the policy file, if any): files by name and SHA-256 of their bytes.</summary>
    public static SweepIdentity Of(string planPath, RolloutPlan plan, string? policyPath, SeedRange seeds, long? requests, IReadOnlyList<SweepScenario> scenarios)
    {
        ArgumentNullException.ThrowIfNull(planPath);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(scenarios);
        return new SweepIdentity(plan.Name, Path.GetFileName(planPath), Sha256(planPath),
            policyPath is null ? PlanTriggers : Path.GetFileName(policyPath), policyPath is null ? null : Sha256(policyPath),
            seeds.ToString(), requests ?? plan.Traffic.Requests, scenarios.Select(SweepScenarioInfo.Of).ToList(),
            PlanFiles(plan, Path.GetDirectoryName(Path.GetFullPath(planPath)) ?? "."), CurrentVersion, CurrentBuild);
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>The hash of the files <paramref name="plan"/> reads, resolved as the simulator resolves them (beside the plan); null when none.</summary>
    public static string? PlanFiles(RolloutPlan plan, string planFolder)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var files = plan.Stages.SelectMany(s => s.Gates).SelectMany(g => g.Artifacts)
            .Concat(plan.Policy is { } policy ? [policy] : [])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            return null;
        }
        var text = new System.Text.StringBuilder();
        foreach (var f in files)
        {
            var path = Path.IsPathRooted(f) ? f : Path.Combine(planFolder, f);
            text.Append(f).Append('\t').Append(File.Exists(path) ? Sha256(path) : "missing").Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
    }

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
        Check("files the plan reads (sha256)", PlanFilesSha256 ?? "none", other.PlanFilesSha256 ?? "none");
        Check("canarysim version", Version, other.Version);
        if (!string.Equals(Build, other.Build, StringComparison.Ordinal))
        {
            d.Add($"canarysim build: {Build[..Math.Min(12, Build.Length)]} vs {other.Build[..Math.Min(12, other.Build.Length)]} " +
                  "(shards must be run by the same binaries: a different build may simulate differently)");
        }
        return d;
    }
}
