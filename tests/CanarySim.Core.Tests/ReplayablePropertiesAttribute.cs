using System.Text.RegularExpressions;
using CanarySim.Core.Tests;

[assembly: ReplayableProperties]

namespace CanarySim.Core.Tests;

/// <summary>
/// Settings for every FsCheck property in this assembly. A failing property prints the seed of its run
/// on the "Falsifiable, after N tests (M shrinks) (seed,gamma)" line; set <c>FSCHECK_SEED</c> to that
/// <c>seed,gamma</c> (brackets optional) and the run repeats exactly, e.g.
/// <c>FSCHECK_SEED=12345,67891 dotnet test tests/CanarySim.Core.Tests --filter Name~Observed_split</c>.
/// Unset, each run draws a fresh seed.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed partial class ReplayablePropertiesAttribute : FsCheck.NUnit.PropertiesAttribute
{
    /// <summary>The environment variable holding the seed to replay.</summary>
    public const string SeedVariable = "FSCHECK_SEED";

    /// <summary>Reads <see cref="SeedVariable"/>; a malformed value is reported by <see cref="PropertySeedCheck"/>.</summary>
    public ReplayablePropertiesAttribute()
    {
        // An attribute that throws here would make NUnit drop every test silently; PropertySeedCheck fails them loudly instead.
        try
        {
            Replay = SeedOrNull();
        }
        catch (ArgumentException)
        {
        }
    }

    /// <summary>The replay seed to use, or null when none is set.</summary>
    /// <exception cref="ArgumentException">The variable is set but not shaped like <c>seed,gamma</c>.</exception>
    public static string? SeedOrNull()
    {
        var seed = Environment.GetEnvironmentVariable(SeedVariable);
        if (string.IsNullOrWhiteSpace(seed))
        {
            return null;
        }
        return SeedShape().IsMatch(seed)
            ? seed.Trim()
            : throw new ArgumentException($"{SeedVariable}='{seed}': expected 'seed,gamma' as printed by a failing property, e.g. 12345,67891 or (12345,67891).");
    }

    [GeneratedRegex(@"^\s*\(?\s*\d+\s*,\s*\d+\s*(,\s*\d+\s*)?\)?\s*$")]
    private static partial Regex SeedShape();
}
