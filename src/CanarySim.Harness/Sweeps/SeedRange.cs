using System.Globalization;

namespace CanarySim.Harness.Sweeps;

/// <summary>An inclusive range of simulation seeds, written <c>A-B</c> (e.g. <c>1-500</c>) or a single seed <c>A</c>.</summary>
/// <param name="First">The first seed.</param>
/// <param name="Last">The last seed (at least <paramref name="First"/>).</param>
public sealed record SeedRange(int First, int Last)
{
    /// <summary>How many seeds the range holds.</summary>
    public int Count => Last - First + 1;

    /// <summary>The range as written: <c>A-B</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}");

    /// <summary>Reads <c>A-B</c> (0 ≤ A ≤ B) or <c>A</c>.</summary>
    /// <exception cref="FormatException">Naming what is wrong with the text.</exception>
    public static SeedRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        var dash = t.IndexOf('-', StringComparison.Ordinal);
        var (a, b) = dash < 0 ? (t, t) : (t[..dash], t[(dash + 1)..]);
        if (!int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var first) ||
            !int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var last))
        {
            throw new FormatException($"seed range '{text}': expected A-B with whole numbers 0 ≤ A ≤ B, e.g. 1-500");
        }
        if (last < first)
        {
            throw new FormatException($"seed range '{text}': the last seed {last} is below the first {first}");
        }
        if ((long)last - first + 1 > 10_000_000)
        {
            throw new FormatException($"seed range '{text}': at most 10,000,000 seeds, got {(long)last - first + 1:N0}");
        }
        return new SeedRange(first, last);
    }
}
