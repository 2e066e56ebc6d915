using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using CanarySim.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CanarySim.Storage.Postgres;

/// <summary>The metric samples of every instance in a <see cref="PostgresStore"/>, read back as detector windows.</summary>
public sealed class PostgresSampleStore : IMetricsStore
{
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
        var list = StoreRows.Batch(samples);
        if (list.Count == 0)
        {
            return;
        }
        var columns = StoreRows.SampleFields;
        _db.Run(connection =>
        {
            // one statement for the batch: an array per column, unnested in the samples' order
            using var insert = new NpgsqlCommand($"""
                INSERT INTO samples({StoreRows.SampleColumns})
                SELECT {StoreRows.SampleColumns} FROM unnest({string.Join(", ", columns.Select(c => "@" + c.Name))}) WITH ORDINALITY
                    AS s({StoreRows.SampleColumns}, n) ORDER BY s.n;
                SELECT pg_notify(@channel, '');
                """, connection);
            insert.Parameters.AddWithValue("channel", PostgresSchema.SamplesChannel);
            foreach (var column in columns)
            {
                var values = Array.CreateInstance(column.Type, list.Count);
                for (var i = 0; i < list.Count; i++)
                {
                    values.SetValue(column.Value(list[i]), i);
                }
                insert.Parameters.AddWithValue(column.Name, NpgsqlDbType.Array | ColumnType(column.Type), values);
            }
            insert.ExecuteNonQuery();
            return 0;
        });
    }

    /// <summary>
    /// The last <paramref name="count"/> samples of an engine to arrive (insertion order, not <c>At</c>: a
    /// sample dated in the future must not stay at the head of the window), oldest first.
    /// </summary>
    public IReadOnlyList<Sample> LastRuns(Engine engine, int count) =>
        StoreQueries.LastRuns('@', engine, count) is { } query ? Read(query) : [];

    /// <summary>The samples of an engine with <c>At</c> in (<paramref name="since"/>, now], oldest first; now comes from the store's <see cref="TimeProvider"/>.</summary>
    public IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since) =>
        Read(StoreQueries.Since('@', engine, since, _db.Time.GetUtcNow()));

    private List<Sample> Read(StoreQuery query) => _db.Select(query, reader => StoreRows.ReadSample(reader, _db.Damaged));

    private static NpgsqlDbType ColumnType(Type type) =>
        type == typeof(long) ? NpgsqlDbType.Bigint
        : type == typeof(double) ? NpgsqlDbType.Double
        : type == typeof(bool) ? NpgsqlDbType.Boolean
        : type == typeof(int) ? NpgsqlDbType.Integer
        : NpgsqlDbType.Text;
}
