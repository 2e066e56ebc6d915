using System.Globalization;
using System.Text.RegularExpressions;

namespace CanarySim.Features.Runtime;

/// <summary>
/// Converts step text into typed values: whole and decimal numbers (invariant culture, an optional
/// trailing <c>%</c> is dropped so <c>10%</c> is 10), <c>true/false/yes/no/on/off/enabled/disabled</c>,
/// enums (case, spaces, <c>-</c> and <c>_</c> ignored), durations (<c>1600ms</c>, <c>30 s</c>,
/// <c>5 min</c>, <c>48 hours</c>, <c>2 days</c>, or <c>hh:mm:ss</c>) and ISO dates.
/// </summary>
public static partial class StepText
{
    /// <summary>Converts <paramref name="text"/> to <paramref name="type"/>; throws <see cref="FormatException"/> saying what was expected.</summary>
    public static object? Convert(string text, Type type)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (type == typeof(string) || type == typeof(object))
        {
            return text;
        }
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return text.Trim().Length == 0 ? null : Convert(text, underlying);
        }
        var t = text.Trim();
        if (type.IsEnum)
        {
            return ParseEnum(t, type);
        }
        if (type == typeof(bool))
        {
            return t.ToLowerInvariant() switch
            {
                "true" or "yes" or "on" or "enabled" or "y" => true,
                "false" or "no" or "off" or "disabled" or "n" => false,
                _ => throw new FormatException($"expected true/false (or yes/no, on/off, enabled/disabled) but got \"{text}\""),
            };
        }
        if (type == typeof(TimeSpan))
        {
            return ParseDuration(t);
        }
        if (type == typeof(DateTimeOffset))
        {
            return DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at
                : throw new FormatException($"expected an ISO date-time such as 2026-02-19T10:00:00Z but got \"{text}\"");
        }
        var number = t.EndsWith('%') ? t[..^1].TrimEnd() : t;
        const NumberStyles Style = NumberStyles.Float;
        var ci = CultureInfo.InvariantCulture;
        object? result = Type.GetTypeCode(type) switch
        {
            TypeCode.Int32 => int.TryParse(number, NumberStyles.Integer, ci, out var i) ? i : null,
            TypeCode.Int64 => long.TryParse(number, NumberStyles.Integer, ci, out var l) ? l : null,
            TypeCode.Double => double.TryParse(number, Style, ci, out var d) ? d : null,
            TypeCode.Single => float.TryParse(number, Style, ci, out var f) ? f : null,
            TypeCode.Decimal => decimal.TryParse(number, Style, ci, out var m) ? m : null,
            _ => throw new FormatException($"no conversion from step text to {type.Name}: add a [StepArgumentTransformation] method returning {type.Name}"),
        };
        return result ?? throw new FormatException($"expected {Describe(type)} but got \"{text}\"");
    }

    /// <summary>Parses a duration: <c>1600ms</c>, <c>30 s</c>, <c>5 min</c>, <c>10 minutes</c>, <c>48 hours</c>, <c>2 days</c>, <c>1.5 h</c>, <c>00:05:00</c>, or a unit alone (<c>minute</c>, <c>hour</c>) for one of it.</summary>
    public static TimeSpan ParseDuration(string text)
    {
        var m = DurationPattern().Match(text.Trim());
        if (m.Success)
        {
            var value = m.Groups[1].Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 1; // "every minute"
            return m.Groups[2].Value.ToLowerInvariant() switch
            {
                "ms" or "millisecond" or "milliseconds" => TimeSpan.FromMilliseconds(value),
                "s" or "sec" or "secs" or "second" or "seconds" => TimeSpan.FromSeconds(value),
                "m" or "min" or "mins" or "minute" or "minutes" => TimeSpan.FromMinutes(value),
                "h" or "hr" or "hrs" or "hour" or "hours" => TimeSpan.FromHours(value),
                _ => TimeSpan.FromDays(value),
            };
        }
        return TimeSpan.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var span) ? span
            : throw new FormatException($"expected a duration such as 1600ms, 30 s, 5 min, 48 hours or 2 days but got \"{text}\"");
    }

    /// <summary>Lower-cases and removes spaces, <c>-</c> and <c>_</c> (how column, member and enum names are compared).</summary>
    public static string Normalize(string name) =>
        string.Concat(name.Where(c => c is not (' ' or '-' or '_'))).ToLowerInvariant();

    /// <summary>A short description of what text <paramref name="type"/> accepts (used in messages and the step catalog).</summary>
    public static string Describe(Type type)
    {
        var u = Nullable.GetUnderlyingType(type);
        if (u is not null)
        {
            return Describe(u) + " (optional)";
        }
        if (type.IsEnum)
        {
            return $"one of {string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))}";
        }
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Int32 or TypeCode.Int64 => "a whole number",
            TypeCode.Double or TypeCode.Single or TypeCode.Decimal => "a number (a trailing % is allowed)",
            TypeCode.Boolean => "true/false",
            TypeCode.String => "text",
            _ when type == typeof(TimeSpan) => "a duration (1600ms, 5 min, 48 hours, 2 days)",
            _ when type == typeof(DateTimeOffset) => "an ISO date-time",
            _ when type == typeof(Reqnroll.Table) => "a data table",
            _ => type.Name,
        };
    }

    private static object ParseEnum(string text, Type type)
    {
        var wanted = Normalize(text);
        foreach (var name in Enum.GetNames(type))
        {
            if (Normalize(name) == wanted)
            {
                return Enum.Parse(type, name);
            }
        }
        throw new FormatException($"expected {Describe(type)} but got \"{text}\"");
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)?\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
