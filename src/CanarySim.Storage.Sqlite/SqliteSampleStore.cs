using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using CanarySim.Storage;
using Microsoft.Data.Sqlite;

namespace CanarySim.Storage.Sqlite;

/// <summary>The metric samples in a <see cref="SqliteStore"/>, read back as detector windows.</summary>
public sealed class SqliteSampleStore : BatchMetricsStore
{
    private readonly SqliteStore _db;

    internal SqliteSampleStore(SqliteStore db) => _db = db;

    /// <summary>Records the batch in one transaction (all or none): one fsync for the batch.</summary>
    protected override void Write(IReadOnlyList<Sample> samples)
    {
        var columns = StoreRows.SampleFields;
        _db.Run(() =>
        {
            using var transaction = _db.BeginWrite();
            using var insert = _db.Command(
                $"INSERT INTO samples({StoreRows.SampleColumns}) VALUES ({string.Join(", ", columns.Select(c => "$" + c.Name))});", transaction);
            var parameters = columns.Select(c => insert.Parameters.Add("$" + c.Name, ColumnType(c.Type))).ToArray();
            foreach (var s in samples)
            {
                for (var i = 0; i < columns.Count; i++)
                {
                    parameters[i].Value = columns[i].Value(s) ?? DBNull.Value;
                }
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
            return 0;
        });
    }

    /// <inheritdoc />
    public override IReadOnlyList<Sample> LastRuns(Engine engine, int count) =>
        StoreQueries.LastRuns('$', engine, count) is { } query ? Read(query) : [];

    /// <inheritdoc />
    public override IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since) =>
        Read(StoreQueries.Since('$', engine, since, _db.Time.GetUtcNow()));

    private List<Sample> Read(StoreQuery query) => _db.Select(query, reader => StoreRows.ReadSample(reader, _db.Damaged));

    private static SqliteType ColumnType(Type type) =>
        type == typeof(double) ? SqliteType.Real : type == typeof(string) ? SqliteType.Text : SqliteType.Integer;
}
