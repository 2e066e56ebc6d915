using System.Globalization;

namespace CanarySim.Reports;

/// <summary>Markdown table cells and numbers, one rule for every Markdown writer.</summary>
internal static class Markdown
{
    /// <summary>Text as one table cell: pipes escaped, line breaks as spaces.</summary>
    public static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>A count with its noun, singular for one: <c>1 failed check</c>, <c>2 failed checks</c>.</summary>
    public static string Count(int count, string singular, string plural) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : plural);

    /// <summary>A number with up to four decimals, or an em dash when there is none.</summary>
    public static string Num(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "—";
}
