using System.Globalization;

namespace CanarySim.Harness.Sweeps;

/// <summary>
/// One of <see cref="Count"/> shards of a sweep, written <c>i/N</c> with 1 ≤ i ≤ N: shard i runs every N-th seed of the
/// range starting at its i-th seed, so N shards together run every seed exactly once.
/// </summary>
/// <param name="Index">Which shard, from 1.</param>
/// <param name="Count">How many shards.</param>
public sealed record SweepShard(int Index, int Count)
{
    /// <summary>The whole sweep as one shard.</summary>
    public static SweepShard Whole { get; } = new(1, 1);

    /// <summary>Whether this is the whole sweep (1/1).</summary>
    public bool IsWhole => Count == 1;

    /// <summary>The shard as written: <c>i/N</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>Whether <paramref name="seed"/> of <paramref name="seeds"/> belongs to this shard.</summary>
    public bool Holds(SeedRange seeds, int seed)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        return seed >= seeds.First && seed <= seeds.Last && (seed - seeds.First) % Count == Index - 1;
    }

    /// <summary>The seeds of <paramref name="seeds"/> this shard runs, in order.</summary>
    public IEnumerable<int> Seeds(SeedRange seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        for (var s = (long)seeds.First + Index - 1; s <= seeds.Last; s += Count)
        {
            yield return (int)s;
        }
    }

    /// <summary>Reads <c>i/N</c> with 1 ≤ i ≤ N (a Kubernetes Indexed Job counts from 0: pass <c>$((JOB_COMPLETION_INDEX + 1))/N</c>).</summary>
    /// <exception cref="FormatException">Naming what is wrong with the text.</exception>
    public static SweepShard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split('/');
        if (parts.Length != 2 ||
            !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index) ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            throw new FormatException($"shard '{text}': expected i/N with whole numbers 1 ≤ i ≤ N, e.g. 2/4");
        }
        if (count < 1)
        {
            throw new FormatException($"shard '{text}': the shard count N must be at least 1, got {count}");
        }
        if (index < 1 || index > count)
        {
            throw new FormatException($"shard '{text}': the shard index i must be between 1 and {count} (shards count from 1), got {index}");
        }
        return new SweepShard(index, count);
    }
}
