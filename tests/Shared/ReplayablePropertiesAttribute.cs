using System.Text.RegularExpressions;
using CanarySim.Testing;

[assembly: ReplayableProperties]

namespace CanarySim.Testing;

/// <summary>
/// Settings for every FsCheck property of a test assembly that compiles this file in: every run uses the same seed,
/// <see cref="DefaultSeed"/>, so a property passes or fails the same way on every machine and in every CI run.
/// <c>FSCHECK_SEED</c> changes it: a <c>seed,gamma</c> pair as printed by a failing property ("Falsifiable, after
/// N tests (M shrinks) (seed,gamma)"; brackets optional) repeats that run exactly, and <c>random</c> draws a fresh
/// seed per property (to explore), e.g. <c>FSCHECK_SEED=random dotnet test tests/CanarySim.Core.Tests</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed partial class ReplayablePropertiesAttribute : FsCheck.NUnit.PropertiesAttribute
{
    /// <summary>The environment variable holding the seed to use.</summary>
    public const string SeedVariable = "FSCHECK_SEED";

    /// <summary>The value of <see cref="SeedVariable"/> that draws a fresh seed per property.</summary>
    public const string RandomSeed = "random";

    /// <summary>The seed of every run unless <see cref="SeedVariable"/> says otherwise (gamma odd, as FsCheck's generator wants).</summary>
    public const string DefaultSeed = "20261130,7431902577";

    /// <summary>Reads <see cref="SeedVariable"/>; a malformed value is reported by <see cref="PropertySeedCheck"/>.</summary>
    public ReplayablePropertiesAttribute()
    {
        // An attribute that throws here would make NUnit drop every test silently; PropertySeedCheck fails them loudly instead.
        try
        {
            Replay = Seed(Environment.GetEnvironmentVariable(SeedVariable));
        }
        catch (ArgumentException)
        {
            Replay = DefaultSeed;
        }
    }

    /// <summary>The replay seed for <paramref name="variable"/> (the value of <see cref="SeedVariable"/>): <see cref="DefaultSeed"/> when unset, null (a fresh seed) for <see cref="RandomSeed"/>.</summary>
    /// <exception cref="ArgumentException">The value is neither <see cref="RandomSeed"/> nor shaped like <c>seed,gamma</c>.</exception>
    public static string? Seed(string? variable)
    {
        if (string.IsNullOrWhiteSpace(variable))
        {
            return DefaultSeed;
        }
        if (string.Equals(variable.Trim(), RandomSeed, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return SeedShape().IsMatch(variable)
            ? variable.Trim()
            : throw new ArgumentException($"{SeedVariable}='{variable}': expected 'seed,gamma' as printed by a failing property, e.g. 12345,67891 or (12345,67891), or '{RandomSeed}' for a fresh seed per property.");
    }

    [GeneratedRegex(@"^\s*\(?\s*\d+\s*,\s*\d+\s*(,\s*\d+\s*)?\)?\s*$")]
    private static partial Regex SeedShape();
}
