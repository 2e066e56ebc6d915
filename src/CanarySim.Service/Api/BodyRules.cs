using System.Globalization;

namespace CanarySim.Service.Api;

/// <summary>Value rules shared by the request bodies; each returns null when the value is fine, otherwise the reason naming the field.</summary>
internal static class BodyRules
{
    /// <summary>
    /// A non-blank identifier (salt, actor, segment name, cohort key, session id …) of at most
    /// <paramref name="maxLength"/> characters without control characters or unpaired surrogates.
    /// </summary>
    public static string? Identifier(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return $"{field} must be a non-empty string; got {(value is null ? "null" : "\"" + value + "\"")}";
        }
        return Text(value, field, maxLength);
    }

    /// <summary>A text of at most <paramref name="maxLength"/> characters without control characters or unpaired surrogates (may be empty).</summary>
    public static string? Text(string value, string field, int maxLength)
    {
        if (value.Length > maxLength)
        {
            return $"{field} is {value.Length} characters long; at most {maxLength} are accepted";
        }
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c))
            {
                return $"{field} holds the control character U+{(int)c:X4} at position {i + 1}; control characters are not accepted";
            }
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"{field} holds an unpaired surrogate U+{(int)c:X4} at position {i + 1}; text must be valid Unicode";
            }
        }
        return null;
    }

    /// <summary>
    /// A percentage 0–100 in whole basis points (0.01): finer values are refused, not rounded (the router
    /// buckets in basis points, so 10.005 would silently mean 10.01 or 10.00). -0 reads as 0.
    /// </summary>
    public static string? Percentage(double value, string field, out double normalized)
    {
        normalized = 0;
        if (!double.IsFinite(value) || value < 0 || value > 100)
        {
            return $"{field} must be from 0 to 100; got {Show(value)} (out-of-range values are rejected, not clamped)";
        }
        var basisPoints = Math.Round(value * 100);
        if (basisPoints / 100 != value)
        {
            return $"{field} must be a multiple of 0.01 (the router buckets in basis points); got {Show(value)}, which is refused rather than rounded";
        }
        normalized = basisPoints / 100 + 0.0;
        return null;
    }

    public static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
