using System.Globalization;

namespace CanarySim.Cli;

/// <summary>
/// The time stamped into generated reports: the system clock, unless <c>SOURCE_DATE_EPOCH</c> (Unix
/// seconds, the reproducible-builds convention) is set, in which case every report says that time and
/// two runs over the same inputs write byte-identical files.
/// </summary>
internal sealed class ReportClock : TimeProvider
{
    public const string Variable = "SOURCE_DATE_EPOCH";

    private readonly DateTimeOffset? _fixed;

    private ReportClock(DateTimeOffset? fixedTime) => _fixed = fixedTime;

    /// <summary>The clock the environment asks for.</summary>
    /// <exception cref="CliUsageException">The variable is set to something that is not a time.</exception>
    public static TimeProvider FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable(Variable));

    /// <summary>A fixed clock for a valid value; the system clock for none (an invalid value is an error the user should see).</summary>
    /// <exception cref="CliUsageException">The value is not a whole number of seconds since 1970.</exception>
    public static TimeProvider FromEnvironment(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return System;
        }
        if (!long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253_402_300_799)
        {
            throw new CliUsageException($"{Variable}={value}: expected a whole number of seconds since 1970-01-01 (the reproducible-builds convention), e.g. {Variable}=1767225600");
        }
        return new ReportClock(DateTimeOffset.FromUnixTimeSeconds(seconds));
    }

    public override DateTimeOffset GetUtcNow() => _fixed ?? System.GetUtcNow();
}
