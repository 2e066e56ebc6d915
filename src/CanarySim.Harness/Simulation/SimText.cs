using System.Globalization;

namespace CanarySim.Harness.Simulation;

/// <summary>How the simulation's reports write percentages and times.</summary>
internal static class SimText
{
    public static string Pct(double p) => p.ToString("0.##", CultureInfo.InvariantCulture) + " %";

    public static string When(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Shorten(string s) => s.Length <= 140 ? s : s[..137] + "...";
}
