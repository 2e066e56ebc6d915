using CanarySim.Core;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using CanarySim.Storage;
using Microsoft.Data.Sqlite;

namespace CanarySim.Storage.Sqlite;

/// <summary>The metric samples in a <see cref="SqliteStore"/>, read back as detector windows.</summary>
public sealed class SqliteSampleStore : IMetricsStore
{
    private const string SampleColumns = StoreRows.SampleColumns;

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
        ArgumentNullException.ThrowIfNull(samples);
        var list = samples.ToList();
        if (list.Count == 0)
        {
            return;
        }
        _db.Run(() =>
        {
            using var transaction = _db.BeginWrite();
            using var insert = _db.Command($"""
                INSERT INTO samples({SampleColumns})
                VALUES ($engine, $at, $latency, $quality, $cost, $error, $fallback, $violation, $complaint, $tokens, $agent, $scenario, $role, $metrics, $tags);
                """, transaction);
            var engine = insert.Parameters.Add("$engine", SqliteType.Text);
            var at = insert.Parameters.Add("$at", SqliteType.Integer);
            var latency = insert.Parameters.Add("$latency", SqliteType.Real);
            var quality = insert.Parameters.Add("$quality", SqliteType.Real);
            var cost = insert.Parameters.Add("$cost", SqliteType.Real);
            var error = insert.Parameters.Add("$error", SqliteType.Integer);
            var fallback = insert.Parameters.Add("$fallback", SqliteType.Integer);
            var violation = insert.Parameters.Add("$violation", SqliteType.Integer);
            var complaint = insert.Parameters.Add("$complaint", SqliteType.Integer);
            var tokens = insert.Parameters.Add("$tokens", SqliteType.Integer);
            var agent = insert.Parameters.Add("$agent", SqliteType.Text);
            var scenario = insert.Parameters.Add("$scenario", SqliteType.Text);
            var role = insert.Parameters.Add("$role", SqliteType.Text);
            var metrics = insert.Parameters.Add("$metrics", SqliteType.Text);
            var tags = insert.Parameters.Add("$tags", SqliteType.Text);
            foreach (var s in list)
            {
                ArgumentNullException.ThrowIfNull(s, nameof(samples));
                engine.Value = WireName.Of(s.Engine);
                at.Value = s.At.UtcTicks;
                latency.Value = s.LatencyMs;
                quality.Value = s.Quality;
                cost.Value = s.CostCents;
                error.Value = s.Error;
                fallback.Value = s.Fallback;
                violation.Value = s.PolicyViolation;
                complaint.Value = s.Complaint;
                tokens.Value = s.Tokens;
                agent.Value = (object?)s.Agent ?? DBNull.Value;
                scenario.Value = (object?)s.Scenario ?? DBNull.Value;
                role.Value = (object?)s.Role ?? DBNull.Value;
                metrics.Value = (object?)StoreRows.MetricsColumn(s.Metrics) ?? DBNull.Value;
                tags.Value = (object?)StoreRows.TagsColumn(s.Tags) ?? DBNull.Value;
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
    public IReadOnlyList<Sample> LastRuns(Engine engine, int count)
    {
        if (count <= 0)
        {
            return [];
        }
        return Query(StoreRows.LastRunsSql('$'), engine, p => p.AddWithValue("$count", count), newestFirst: true);
    }

    /// <summary>The samples of an engine with <c>At</c> in (<paramref name="since"/>, now], oldest first; now comes from the store's <see cref="TimeProvider"/>.</summary>
    public IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since)
    {
        var now = _db.Time.GetUtcNow().UtcTicks;
        return Query(
            StoreRows.SinceSql('$'),
            engine,
            p =>
            {
                p.AddWithValue("$since", since.UtcTicks);
                p.AddWithValue("$now", now);
            });
    }

    private List<Sample> Query(string sql, Engine engine, Action<SqliteParameterCollection> bind, bool newestFirst = false) => _db.Run(() =>
    {
        using var command = _db.Command(sql);
        command.Parameters.AddWithValue("$engine", WireName.Of(engine));
        bind(command.Parameters);
        return StoreRows.ReadRows(command, reader => StoreRows.ReadSample(reader, (problem, cause) => new CanarySimStoreException(_db.Path, problem, cause)), newestFirst);
    });
}
