using System.Globalization;

namespace CanarySim.Reports;

/// <summary>Markdown table cells and numbers, one rule for every Markdown writer.</summary>
internal static class Markdown
{
    /// <summary>Text as one table cell: pipes escaped, line breaks as spaces.</summary>
    public static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>A number with up to four decimals, or an em dash when there is none.</summary>
    public static string Num(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "—";
}
