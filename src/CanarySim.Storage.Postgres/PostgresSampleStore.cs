using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using CanarySim.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CanarySim.Storage.Postgres;

/// <summary>The metric samples of every instance in a <see cref="PostgresStore"/>, read back as detector windows.</summary>
public sealed class PostgresSampleStore : BatchMetricsStore
{
    private readonly PostgresStore _db;

    internal PostgresSampleStore(PostgresStore db) => _db = db;

    /// <summary>Records the batch in one statement (all or none), in its order, and announces it to every instance (NOTIFY).</summary>
    protected override void Write(IReadOnlyList<Sample> samples)
    {
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
                var values = Array.CreateInstance(column.Type, samples.Count);
                for (var i = 0; i < samples.Count; i++)
                {
                    values.SetValue(column.Value(samples[i]), i);
                }
                insert.Parameters.AddWithValue(column.Name, NpgsqlDbType.Array | ColumnType(column.Type), values);
            }
            insert.ExecuteNonQuery();
            return 0;
        });
    }

    /// <inheritdoc />
    public override IReadOnlyList<Sample> LastRuns(Engine engine, int count) =>
        StoreQueries.LastRuns('@', engine, count) is { } query ? Read(query) : [];

    /// <inheritdoc />
    public override IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since) =>
        Read(StoreQueries.Since('@', engine, since, _db.Time.GetUtcNow()));

    private List<Sample> Read(StoreQuery query) => _db.Select(query, reader => StoreRows.ReadSample(reader, _db.Damaged));

    private static NpgsqlDbType ColumnType(Type type) =>
        type == typeof(long) ? NpgsqlDbType.Bigint
        : type == typeof(double) ? NpgsqlDbType.Double
        : type == typeof(bool) ? NpgsqlDbType.Boolean
        : type == typeof(int) ? NpgsqlDbType.Integer
        : NpgsqlDbType.Text;
}
