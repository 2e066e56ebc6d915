using System.Globalization;
using System.Text;

namespace CanarySim.Core.Rollout;

/// <summary>
/// Durations as plans write them: a number and a unit, optionally chained — <c>30s</c>, <c>5m</c>,
/// <c>48h</c>, <c>7d</c>, <c>2w</c>, <c>1d12h</c>. Units: s, m (minutes), h, d, w.
/// </summary>
public static class PlanDuration
{
    /// <summary>Parses a duration; false (and an explanation) when the text is not one.</summary>
    public static bool TryParse(string? text, out TimeSpan value, out string error)
    {
        value = TimeSpan.Zero;
        error = "";
        var s = text?.Trim().ToLowerInvariant() ?? "";
        if (s.Length == 0)
        {
            error = "expected a duration such as 30s, 5m, 48h, 7d or 2w, got an empty value";
            return false;
        }
        var i = 0;
        double totalSeconds = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }
            if (start == i || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
            {
                error = $"expected a duration such as 30s, 5m, 48h, 7d or 2w, got '{text}'";
                return false;
            }
            while (i < s.Length && s[i] == ' ')
            {
                i++;
            }
            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }
            var unit = s[unitStart..i];
            double factor = unit switch
            {
                "s" or "sec" or "secs" or "second" or "seconds" => 1,
                "m" or "min" or "mins" or "minute" or "minutes" => 60,
                "h" or "hr" or "hrs" or "hour" or "hours" => 3600,
                "d" or "day" or "days" => 86400,
                "w" or "wk" or "week" or "weeks" => 7 * 86400,
                _ => double.NaN,
            };
            if (double.IsNaN(factor))
            {
                error = $"unknown duration unit '{unit}' in '{text}' (expected s, m, h, d or w)";
                return false;
            }
            totalSeconds += n * factor;
            while (i < s.Length && s[i] == ' ')
            {
                i++;
            }
        }
        value = TimeSpan.FromSeconds(totalSeconds);
        return true;
    }

    /// <summary>Formats with the largest units first, e.g. <c>1d12h</c>, <c>5m</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0s";
        }
        var sb = new StringBuilder();
        var rest = (long)Math.Round(value.TotalSeconds);
        void Part(long unitSeconds, char unit)
        {
            if (rest >= unitSeconds)
            {
                sb.Append((rest / unitSeconds).ToString(CultureInfo.InvariantCulture)).Append(unit);
                rest %= unitSeconds;
            }
        }
        Part(86400, 'd');
        Part(3600, 'h');
        Part(60, 'm');
        Part(1, 's');
        return sb.Length == 0 ? "0s" : sb.ToString();
    }
}
