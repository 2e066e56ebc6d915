using System.Globalization;

namespace CanarySim.Harness.Sweeps;

/// <summary>
/// Merges the outputs of the N shards of one sweep into exactly the summary and runs the unsharded sweep writes. It
/// refuses (with every reason) shards of different sweeps, a missing or repeated shard, a partial shard, and a shard
/// whose runs are not the ones its shard index owns.
/// </summary>
public static class SweepMerge
{
    /// <summary>The merged summary and runs (seed order).</summary>
    /// <exception cref="SweepMergeException">Listing what does not fit.</exception>
    public static (SweepSummary Summary, IReadOnlyList<SweepRunRecord> Runs) Merge(IReadOnlyList<SweepPart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new SweepMergeException(["no shard outputs given"]);
        }
        var problems = new List<string>();
        var first = parts[0];
        var shards = new List<(SweepPart Part, SweepShard Shard)>();
        foreach (var part in parts)
        {
            if (part.Summary.Shard is null)
            {
                problems.Add($"{part.Source}: not a shard (it holds a whole or merged sweep; run 'sweep --shard i/N' to make shards)");
                continue;
            }
            SweepShard shard;
            try
            {
                shard = SweepShard.Parse(part.Summary.Shard);
            }
            catch (FormatException ex)
            {
                problems.Add($"{part.Source}: {ex.Message}");
                continue;
            }
            if (part.Summary.Partial)
            {
                problems.Add($"{part.Source}: shard {shard} is partial ({part.Summary.RunsCompleted} of {part.Summary.RunsPlanned} runs; it was stopped): run it again");
            }
            if (!ReferenceEquals(part, first))
            {
                problems.AddRange(first.Summary.Sweep.Differences(part.Summary.Sweep).Select(d => $"{part.Source}: a different sweep from {first.Source}: {d}"));
            }
            shards.Add((part, shard));
        }
        var counts = shards.Select(s => s.Shard.Count).Distinct().ToList();
        if (counts.Count > 1)
        {
            problems.Add("shards of different splits: " + string.Join(", ", shards.Select(s => $"{s.Part.Source} is {s.Shard}")));
        }
        else if (counts.Count == 1)
        {
            var n = counts[0];
            foreach (var dup in shards.GroupBy(s => s.Shard.Index).Where(g => g.Count() > 1))
            {
                problems.Add($"shard {dup.Key}/{n} given more than once: {string.Join(", ", dup.Select(s => s.Part.Source))}");
            }
            var missing = Enumerable.Range(1, n).Except(shards.Select(s => s.Shard.Index)).ToList();
            if (missing.Count > 0)
            {
                problems.Add($"missing shard{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i}/{n}")))}");
            }
        }
        SeedRange seeds;
        try
        {
            seeds = SeedRange.Parse(first.Summary.Sweep.Seeds);
        }
        catch (FormatException ex)
        {
            throw new SweepMergeException([$"{first.Source}: {ex.Message}"]);
        }
        var sweep = first.Summary.Sweep;
        var names = sweep.Scenarios.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (part, shard) in shards)
        {
            var expected = shard.Seeds(seeds).SelectMany(seed => sweep.Scenarios.Select(s => (seed, s.Name))).ToHashSet();
            var actual = part.Runs.Select(r => (r.Seed, r.Scenario)).ToList();
            var stray = actual.Where(a => !expected.Contains(a) || !names.Contains(a.Item2)).Take(3).ToList();
            if (stray.Count > 0 || actual.Distinct().Count() != actual.Count || (!part.Summary.Partial && actual.Count != expected.Count))
            {
                problems.Add($"{part.Source}: its runs are not the {expected.Count} runs of shard {shard}" +
                             (stray.Count > 0 ? $" (e.g. seed {stray[0].Seed} '{stray[0].Item2}')" : $" ({actual.Count} runs, {actual.Count - actual.Distinct().Count()} repeated)"));
            }
        }
        if (problems.Count > 0)
        {
            throw new SweepMergeException(problems);
        }
        var order = sweep.Scenarios.Select((s, i) => (s.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var runs = SweepSummary.Order(parts.SelectMany(p => p.Runs), order);
        var planned = seeds.Count * sweep.Scenarios.Count;
        return (SweepSummary.Build(sweep, SweepShard.Whole, runs, planned, partial: false), runs);
    }
}
