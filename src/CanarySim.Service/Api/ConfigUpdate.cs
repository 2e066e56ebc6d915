using System.Collections.Immutable;
using CanarySim.Core;
using CanarySim.Core.Routing;

namespace CanarySim.Service.Api;

/// <summary>
/// A validated <c>PUT /guard/config</c>: the fields to change (null = keep), who and why. Applied to
/// whatever settings are current when it is committed (<see cref="ApplyTo"/> is pure).
/// </summary>
/// <param name="CanaryPct">New percentage (0–100, whole basis points), if given.</param>
/// <param name="KillSwitch">New kill switch, if given.</param>
/// <param name="Mode">New mode, if given.</param>
/// <param name="Salt">New bucketing salt, if given.</param>
/// <param name="Phase">New phase label, if given.</param>
/// <param name="UpdatedBy">Who makes the change.</param>
/// <param name="Reason">Why (may be empty: the seed's runbook sends bare percentages).</param>
/// <param name="Segments">New per-segment overrides (replacing all), if given.</param>
/// <param name="Cohort">New cohort keys (replacing all), if given.</param>
/// <param name="Version">The stored settings version the change is based on, if given.</param>
public sealed record ConfigUpdate(double? CanaryPct, bool? KillSwitch, RouterMode? Mode, string? Salt, string? Phase, string UpdatedBy, string Reason,
    ImmutableDictionary<string, SegmentOverride>? Segments = null, ImmutableHashSet<string>? Cohort = null, long? Version = null)
{
    /// <summary>Most cohort keys a config may hold.</summary>
    public const int MaxCohort = 10_000;

    /// <summary>Applies the update; the mode follows <see cref="RouterModeRule"/> (a percentage above 0 without a mode means canary).</summary>
    public RouterSettings ApplyTo(RouterSettings current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current with
        {
            CanaryPct = CanaryPct ?? current.CanaryPct,
            KillSwitch = KillSwitch ?? current.KillSwitch,
            Mode = RouterModeRule.Resolve(current.Mode, Mode, CanaryPct),
            Salt = Salt ?? current.Salt,
            Phase = Phase ?? current.Phase,
            Segments = Segments ?? current.Segments,
            Cohort = Cohort ?? current.Cohort,
        };
    }

    /// <summary>Validates a bound body; on failure <paramref name="error"/> names the field and what was expected.</summary>
    internal static ConfigUpdate? From(ConfigRequestBody body, int maxTextLength, out string error)
    {
        ArgumentNullException.ThrowIfNull(body);
        double? pct = null;
        if (body.CanaryPct is { } p)
        {
            if (BodyRules.Percentage(p, "canary_pct", out var normalized) is { } bad)
            {
                error = bad;
                return null;
            }
            pct = normalized;
        }
        RouterMode? mode = null;
        if (body.Mode is { } modeText)
        {
            if (!WireName.TryParse<RouterMode>(modeText, out var m))
            {
                error = $"unknown mode \"{modeText}\": expected exactly one of {string.Join(", ", WireName.All<RouterMode>())} (lower case)";
                return null;
            }
            mode = m;
        }
        if (((body.Salt is null ? null : BodyRules.Identifier(body.Salt, "salt", maxTextLength))
            ?? (body.Phase is null ? null : BodyRules.Text(body.Phase, "phase", maxTextLength))
            ?? (body.UpdatedBy is null ? null : BodyRules.Identifier(body.UpdatedBy, "updated_by", maxTextLength))
            ?? (body.Reason is null ? null : BodyRules.Text(body.Reason, "reason", maxTextLength))
            ?? (body.Version is < 0 ? $"version must be a whole number of at least 0 (the settings version the change is based on); got {body.Version}" : null))
            is { } invalid)
        {
            error = invalid;
            return null;
        }
        error = "";
        var segments = body.Segments is null ? null : ReadSegments(body.Segments, maxTextLength, out error);
        if (body.Segments is not null && segments is null)
        {
            return null;
        }
        var cohort = body.Cohort is null ? null : ReadCohort(body.Cohort, maxTextLength, out error);
        if (body.Cohort is not null && cohort is null)
        {
            return null;
        }
        if (pct is null && body.KillSwitch is null && mode is null && body.Salt is null && body.Phase is null && segments is null && cohort is null)
        {
            error = "nothing to change: give at least one of canary_pct, kill_switch, mode, salt, phase, segments, cohort";
            return null;
        }
        error = "";
        return new ConfigUpdate(pct, body.KillSwitch, mode, body.Salt?.Trim(), body.Phase?.Trim(), body.UpdatedBy?.Trim() ?? "ops", body.Reason?.Trim() ?? "",
            segments, cohort, body.Version);
    }

    private static ImmutableDictionary<string, SegmentOverride>? ReadSegments(Dictionary<string, SegmentRequestBody> given, int maxTextLength, out string error)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, SegmentOverride>(StringComparer.Ordinal);
        foreach (var (name, segment) in given)
        {
            if (BodyRules.Identifier(name, "segments: a segment name", maxTextLength) is { } badName)
            {
                error = badName + " (segments replace all overrides: send {} to clear them)";
                return null;
            }
            if (segment is null)
            {
                error = $"segments.{name}: expected an object {{\"enabled\": bool, \"canary_pct\": number|null}}, got null";
                return null;
            }
            double? pct = null;
            if (segment.CanaryPct is { } p)
            {
                if (BodyRules.Percentage(p, $"segments.{name}.canary_pct", out var normalized) is { } badPct)
                {
                    error = badPct;
                    return null;
                }
                pct = normalized;
            }
            builder[name] = new SegmentOverride(segment.Enabled, pct);
        }
        error = "";
        return builder.ToImmutable();
    }

    private static ImmutableHashSet<string>? ReadCohort(List<string> given, int maxTextLength, out string error)
    {
        if (given.Count > MaxCohort)
        {
            error = $"cohort has {given.Count} keys; at most {MaxCohort} are accepted";
            return null;
        }
        for (var i = 0; i < given.Count; i++)
        {
            if (BodyRules.Identifier(given[i], $"cohort[{i}]", maxTextLength) is { } bad)
            {
                error = bad + " (the cohort replaces all keys: send [] to clear it)";
                return null;
            }
        }
        error = "";
        return given.ToImmutableHashSet(StringComparer.Ordinal);
    }
}
