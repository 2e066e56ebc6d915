using System.Collections.Concurrent;

namespace CanarySim.Service.Metrics;

/// <summary>A thread-safe counter with labels (one series per distinct label-value tuple).</summary>
internal sealed class CounterFamily(string name, string help, params string[] labelNames)
{
    private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public void Increment(params string[] labelValues) => Add(1, labelValues);

    public void Add(long amount, params string[] labelValues)
    {
        if (labelValues.Length != labelNames.Length)
        {
            throw new ArgumentException($"{Name} takes {labelNames.Length} labels", nameof(labelValues));
        }
        var key = string.Join('\u001f', labelValues);
        var series = _series.GetOrAdd(key, static (_, values) => new Series(values), labelValues);
        Interlocked.Add(ref series.Value, amount);
    }

    public long Get(params string[] labelValues) =>
        _series.TryGetValue(string.Join('\u001f', labelValues), out var s) ? Interlocked.Read(ref s.Value) : 0;

    public long Total => _series.Values.Sum(s => Interlocked.Read(ref s.Value));

    public void WriteTo(PrometheusTextWriter writer)
    {
        writer.Family(Name, "counter", help);
        foreach (var (_, series) in _series.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var labels = new (string, string)[labelNames.Length];
            for (var i = 0; i < labels.Length; i++)
            {
                labels[i] = (labelNames[i], series.Labels[i]);
            }
            writer.Sample(Name, Interlocked.Read(ref series.Value), labels);
        }
    }

    private sealed class Series(string[] labels)
    {
        public readonly string[] Labels = (string[])labels.Clone();
        public long Value;
    }
}
