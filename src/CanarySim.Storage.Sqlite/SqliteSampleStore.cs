using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using CanarySim.Storage;
using Microsoft.Data.Sqlite;

namespace CanarySim.Storage.Sqlite;

/// <summary>The metric samples in a <see cref="SqliteStore"/>, read back as detector windows.</summary>
public sealed class SqliteSampleStore : IMetricsStore
{
    private readonly SqliteStore _db;

    internal SqliteSampleStore(SqliteStore db) => _db = db;

    /// <summary>Records one sample in its own transaction; durable when this returns.</summary>
    public void Add(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        AddRange([sample]);
    }

    /// <summary>Records several samples in one transaction (all or none) — one fsync for the batch.</summary>
    public void AddRange(IEnumerable<Sample> samples)
    {
        var list = StoreRows.Batch(samples);
        if (list.Count == 0)
        {
            return;
        }
        var columns = StoreRows.SampleFields;
        _db.Run(() =>
        {
            using var transaction = _db.BeginWrite();
            using var insert = _db.Command(
                $"INSERT INTO samples({StoreRows.SampleColumns}) VALUES ({string.Join(", ", columns.Select(c => "$" + c.Name))});", transaction);
            var parameters = columns.Select(c => insert.Parameters.Add("$" + c.Name, ColumnType(c.Type))).ToArray();
            foreach (var s in list)
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

    /// <summary>
    /// The last <paramref name="count"/> samples of an engine to arrive (insertion order, not <c>At</c>: a
    /// sample dated in the future must not stay at the head of the window), oldest first.
    /// </summary>
    public IReadOnlyList<Sample> LastRuns(Engine engine, int count) =>
        StoreQueries.LastRuns('$', engine, count) is { } query ? Read(query) : [];

    /// <summary>The samples of an engine with <c>At</c> in (<paramref name="since"/>, now], oldest first; now comes from the store's <see cref="TimeProvider"/>.</summary>
    public IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since) =>
        Read(StoreQueries.Since('$', engine, since, _db.Time.GetUtcNow()));

    private List<Sample> Read(StoreQuery query) => _db.Select(query, reader => StoreRows.ReadSample(reader, _db.Damaged));

    private static SqliteType ColumnType(Type type) =>
        type == typeof(double) ? SqliteType.Real : type == typeof(string) ? SqliteType.Text : SqliteType.Integer;
}
