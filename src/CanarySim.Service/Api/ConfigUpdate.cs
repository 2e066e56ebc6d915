using System.Collections.Immutable;
using System.Text.Json;
using CanarySim.Core.Routing;

namespace CanarySim.Service.Api;

/// <summary>
/// Body of <c>PUT /guard/config</c> (seed 001 PR2): <c>{"canary_pct":5.0,"kill_switch":false,"mode":"canary","updated_by":"admin","reason":"initial_canary"}</c>.
/// SPEC §1: out-of-range, NaN or non-numeric percentages are rejected, never clamped.
/// </summary>
/// <param name="CanaryPct">New percentage (0–100), if given.</param>
/// <param name="KillSwitch">New kill switch, if given.</param>
/// <param name="Mode">New mode, if given.</param>
/// <param name="Salt">New bucketing salt, if given.</param>
/// <param name="Phase">New phase label, if given.</param>
/// <param name="UpdatedBy">Who makes the change.</param>
/// <param name="Reason">Why (required).</param>
/// <param name="Segments">New per-segment overrides (replacing all), if given.</param>
/// <param name="Cohort">New cohort keys (replacing all), if given.</param>
public sealed record ConfigUpdate(double? CanaryPct, bool? KillSwitch, RouterMode? Mode, string? Salt, string? Phase, string UpdatedBy, string Reason,
    ImmutableDictionary<string, SegmentOverride>? Segments = null, ImmutableHashSet<string>? Cohort = null)
{
    /// <summary>Fields a config body may hold.</summary>
    public static readonly IReadOnlyList<string> Fields = ["canary_pct", "kill_switch", "mode", "salt", "phase", "segments", "cohort", "updated_by", "reason"];

    /// <summary>Most cohort keys a config may hold.</summary>
    public const int MaxCohort = 10_000;

    /// <summary>Applies the update. A percentage above 0 given without a mode while the router is in primary or shadow mode moves it to canary, as the seed's API did.</summary>
    public RouterSettings ApplyTo(RouterSettings current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var mode = Mode ?? (CanaryPct > 0 && current.Mode is RouterMode.Primary or RouterMode.Shadow ? RouterMode.Canary : current.Mode);
        return current with
        {
            CanaryPct = CanaryPct ?? current.CanaryPct,
            KillSwitch = KillSwitch ?? current.KillSwitch,
            Mode = mode,
            Salt = Salt ?? current.Salt,
            Phase = Phase ?? current.Phase,
            Segments = Segments ?? current.Segments,
            Cohort = Cohort ?? current.Cohort,
        };
    }

    /// <summary>Parses and validates a body; on failure <paramref name="error"/> names the field and what was expected.</summary>
    public static bool TryParse(JsonElement body, int maxTextLength, out ConfigUpdate? update, out string error)
    {
        update = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = $"the body must be a JSON object with some of: {string.Join(", ", Fields)}; got {Describe(body)}";
            return false;
        }
        double? pct = null;
        bool? kill = null;
        RouterMode? mode = null;
        string? salt = null, phase = null, updatedBy = null, reason = null;
        ImmutableDictionary<string, SegmentOverride>? segments = null;
        ImmutableHashSet<string>? cohort = null;
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "canary_pct":
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var p))
                    {
                        error = $"canary_pct must be a number from 0 to 100; got {Describe(value)}";
                        return false;
                    }
                    if (!double.IsFinite(p) || p < 0 || p > 100)
                    {
                        error = $"canary_pct must be from 0 to 100; got {value.GetRawText()} (out of range values are rejected, not clamped)";
                        return false;
                    }
                    pct = p;
                    break;
                case "kill_switch":
                    if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        error = $"kill_switch must be true or false; got {Describe(value)}";
                        return false;
                    }
                    kill = value.GetBoolean();
                    break;
                case "mode":
                    if (value.ValueKind != JsonValueKind.String || !RouterModeNames.TryParse(value.GetString(), out var m))
                    {
                        error = $"unknown mode {Describe(value)}: expected one of primary, shadow, canary, candidate";
                        return false;
                    }
                    mode = m;
                    break;
                case "salt":
                    if (!TryText(value, "salt", maxTextLength, out salt, out error))
                    {
                        return false;
                    }
                    break;
                case "phase":
                    if (value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0)
                    {
                        phase = "";
                        break;
                    }
                    if (!TryText(value, "phase", maxTextLength, out phase, out error))
                    {
                        return false;
                    }
                    break;
                case "segments":
                    try
                    {
                        segments = RouterSettingsJson.ParseSegments(value);
                    }
                    catch (FormatException ex)
                    {
                        error = Unprefixed(ex.Message) + " (segments replace all overrides: send {} to clear them)";
                        return false;
                    }
                    if (segments.Keys.FirstOrDefault(k => string.IsNullOrWhiteSpace(k) || k.Length > maxTextLength) is { } badName)
                    {
                        error = $"segments: a segment name must be 1 to {maxTextLength} characters and not blank; got \"{badName}\"";
                        return false;
                    }
                    break;
                case "cohort":
                    try
                    {
                        cohort = RouterSettingsJson.ParseCohort(value);
                    }
                    catch (FormatException ex)
                    {
                        error = Unprefixed(ex.Message) + " (the cohort replaces all keys: send [] to clear it)";
                        return false;
                    }
                    if (cohort.Count > MaxCohort)
                    {
                        error = $"cohort has {cohort.Count} keys; at most {MaxCohort} are accepted";
                        return false;
                    }
                    if (cohort.FirstOrDefault(k => string.IsNullOrWhiteSpace(k) || k.Length > maxTextLength) is { } badKey)
                    {
                        error = $"cohort: a key must be 1 to {maxTextLength} characters and not blank; got \"{badKey}\"";
                        return false;
                    }
                    break;
                case "updated_by":
                    if (!TryText(value, "updated_by", maxTextLength, out updatedBy, out error))
                    {
                        return false;
                    }
                    break;
                case "reason":
                    if (!TryText(value, "reason", maxTextLength, out reason, out error))
                    {
                        return false;
                    }
                    break;
                default:
                    error = $"unknown field '{property.Name}': expected some of {string.Join(", ", Fields)}";
                    return false;
            }
        }
        if (pct is null && kill is null && mode is null && salt is null && phase is null && segments is null && cohort is null)
        {
            error = "nothing to change: give at least one of canary_pct, kill_switch, mode, salt, phase, segments, cohort";
            return false;
        }
        if (reason is null)
        {
            error = "reason is required: say why the settings change (it is kept in the settings history)";
            return false;
        }
        update = new ConfigUpdate(pct, kill, mode, salt, phase, updatedBy ?? "ops", reason, segments, cohort);
        error = "";
        return true;
    }

    private static string Unprefixed(string message) =>
        message.StartsWith("router settings: ", StringComparison.Ordinal) ? message["router settings: ".Length..] : message;

    /// <summary>A required, non-blank text field of bounded length.</summary>
    internal static bool TryText(JsonElement value, string field, int maxLength, out string? text, out string error)
    {
        text = null;
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            error = $"{field} must be a non-empty string; got {Describe(value)}";
            return false;
        }
        var s = value.GetString()!.Trim();
        if (s.Length > maxLength)
        {
            error = $"{field} is {s.Length} characters long; at most {maxLength} are accepted";
            return false;
        }
        text = s;
        error = "";
        return true;
    }

    internal static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Truncate(value.GetString()!)}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
