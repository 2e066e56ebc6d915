using CanarySim.Core;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using Npgsql;
using CanarySim.Storage;
using NpgsqlTypes;

namespace CanarySim.Storage.Postgres;

/// <summary>The metric samples of every instance in a <see cref="PostgresStore"/>, read back as detector windows.</summary>
public sealed class PostgresSampleStore : IMetricsStore
{
    private const string SampleColumns = StoreRows.SampleColumns;

    private readonly PostgresStore _db;

    internal PostgresSampleStore(PostgresStore db) => _db = db;

    /// <summary>Records one sample; durable when this returns.</summary>
    public void Add(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        AddRange([sample]);
    }

    /// <summary>Records several samples in one transaction (all or none), in their order, and announces the batch to every instance (NOTIFY).</summary>
    public void AddRange(IEnumerable<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var list = samples.ToList();
        foreach (var s in list)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(samples));
        }
        if (list.Count == 0)
        {
            return;
        }
        _db.Run(connection =>
        {
            using var insert = new NpgsqlCommand($"""
                INSERT INTO samples({SampleColumns})
                SELECT {SampleColumns} FROM unnest(@engine, @at, @latency, @quality, @cost, @error, @fallback, @violation, @complaint,
                                                   @tokens, @agent, @scenario, @role, @metrics, @tags) WITH ORDINALITY
                    AS s({SampleColumns}, n) ORDER BY s.n;
                SELECT pg_notify(@channel, '');
                """, connection);
            insert.Parameters.AddWithValue("channel", PostgresSchema.SamplesChannel);
            Add(insert, "engine", NpgsqlDbType.Text, list, s => WireName.Of(s.Engine));
            Add(insert, "at", NpgsqlDbType.Bigint, list, s => s.At.UtcTicks);
            Add(insert, "latency", NpgsqlDbType.Double, list, s => s.LatencyMs);
            Add(insert, "quality", NpgsqlDbType.Double, list, s => s.Quality);
            Add(insert, "cost", NpgsqlDbType.Double, list, s => s.CostCents);
            Add(insert, "error", NpgsqlDbType.Boolean, list, s => s.Error);
            Add(insert, "fallback", NpgsqlDbType.Boolean, list, s => s.Fallback);
            Add(insert, "violation", NpgsqlDbType.Boolean, list, s => s.PolicyViolation);
            Add(insert, "complaint", NpgsqlDbType.Boolean, list, s => s.Complaint);
            Add(insert, "tokens", NpgsqlDbType.Integer, list, s => s.Tokens);
            Add(insert, "agent", NpgsqlDbType.Text, list, s => s.Agent);
            Add(insert, "scenario", NpgsqlDbType.Text, list, s => s.Scenario);
            Add(insert, "role", NpgsqlDbType.Text, list, s => s.Role);
            Add(insert, "metrics", NpgsqlDbType.Text, list, s => StoreRows.MetricsColumn(s.Metrics));
            Add(insert, "tags", NpgsqlDbType.Text, list, s => StoreRows.TagsColumn(s.Tags));
            insert.ExecuteNonQuery();
            return 0;
        });
    }

    /// <summary>
    /// The last <paramref name="count"/> samples of an engine to arrive (insertion order, not <c>At</c>: a
    /// sample dated in the future must not stay at the head of the window), oldest first.
    /// </summary>
    public IReadOnlyList<Sample> LastRuns(Engine engine, int count)
    {
        if (count <= 0)
        {
            return [];
        }
        return Query(StoreRows.LastRunsSql('@'), engine, p => p.AddWithValue("count", count), newestFirst: true);
    }

    /// <summary>The samples of an engine with <c>At</c> in (<paramref name="since"/>, now], oldest first; now comes from the store's <see cref="TimeProvider"/>.</summary>
    public IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since)
    {
        var now = _db.Time.GetUtcNow().UtcTicks;
        return Query(
            StoreRows.SinceSql('@'),
            engine,
            p =>
            {
                p.AddWithValue("since", since.UtcTicks);
                p.AddWithValue("now", now);
            });
    }

    private static void Add<T>(NpgsqlCommand command, string name, NpgsqlDbType type, List<Sample> samples, Func<Sample, T> value) =>
        command.Parameters.AddWithValue(name, NpgsqlDbType.Array | type, samples.Select(value).ToArray());

    private List<Sample> Query(string sql, Engine engine, Action<NpgsqlParameterCollection> bind, bool newestFirst = false) => _db.Run(connection =>
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("engine", WireName.Of(engine));
        bind(command.Parameters);
        return StoreRows.ReadRows(command, reader => StoreRows.ReadSample(reader, (problem, cause) => new PostgresStoreException(_db.Location, problem, cause)), newestFirst);
    });
}
