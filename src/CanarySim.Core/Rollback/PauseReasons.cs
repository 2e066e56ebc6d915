using System.Globalization;

namespace CanarySim.Core.Rollback;

/// <summary>
/// The one wording of a pause: the reason a pause change records and the short headline status pages,
/// dashboards and evidence show for it (<c>paused: inconclusive (judge, 90)</c>, <c>paused: cost_spike</c>).
/// </summary>
public static class PauseReasons
{
    /// <summary>The prefix of every reason a truly inconclusive analysis run records.</summary>
    public const string InconclusivePrefix = "paused: inconclusive (";

    /// <summary>The reason recorded when a check stays inconclusive: <c>paused: inconclusive (check, value): why</c>.</summary>
    public static string Inconclusive(string check, double value, string why) =>
        $"{InconclusivePrefix}{check}, {value.ToString("0.###", CultureInfo.InvariantCulture)}): {why}";

    /// <summary>
    /// The short form of a pause reason: for an inconclusive run up to the closing parenthesis
    /// (<c>paused: inconclusive (judge, 90)</c>); for any other pause <c>paused: </c> and the reason's
    /// first word, which names the check (<c>paused: cost_spike</c>).
    /// </summary>
    public static string Headline(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (reason.StartsWith(InconclusivePrefix, StringComparison.Ordinal))
        {
            var close = reason.IndexOf(')', InconclusivePrefix.Length);
            return close < 0 ? reason : reason[..(close + 1)];
        }
        var end = 0;
        while (end < reason.Length && (char.IsLetterOrDigit(reason[end]) || reason[end] == '_'))
        {
            end++;
        }
        return end == 0 ? "paused" : "paused: " + reason[..end];
    }
}
