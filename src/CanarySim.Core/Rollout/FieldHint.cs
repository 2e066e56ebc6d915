namespace CanarySim.Core.Rollout;

/// <summary>What to tell someone who wrote an unknown field name: the closest allowed name, or the allowed ones.</summary>
public static class FieldHint
{
    /// <summary>
    /// <c> (did you mean 'x'?)</c> when an allowed name is within three edits (insertions, deletions,
    /// substitutions) of <paramref name="unknown"/>, else <c> (expected one of a, b, c)</c>.
    /// </summary>
    public static string For(string unknown, IReadOnlyList<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(unknown);
        ArgumentNullException.ThrowIfNull(allowed);
        if (allowed.Count == 0)
        {
            return "";
        }
        var closest = allowed.OrderBy(a => Distance(a, unknown)).First();
        return Distance(closest, unknown) <= 3 ? $" (did you mean '{closest}'?)" : $" (expected one of {string.Join(", ", allowed)})";
    }

    /// <summary>Levenshtein distance between two names.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
