using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using Microsoft.Data.Sqlite;

namespace CanarySim.Storage.Sqlite;

/// <summary>The metric samples in a <see cref="SqliteStore"/>, read back as detector windows.</summary>
public sealed class SqliteSampleStore : IMetricsStore
{
    private const string SampleColumns =
        "engine, at, latency_ms, quality, cost_cents, error, fallback, policy_violation, complaint, tokens, agent, scenario, role, metrics, tags";

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
                engine.Value = s.Engine.ToWire();
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
                metrics.Value = SampleMapColumns.ToColumn(s.Metrics);
                tags.Value = SampleMapColumns.ToColumn(s.Tags);
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
        var list = Query(
            $"SELECT {SampleColumns} FROM samples WHERE engine = $engine ORDER BY id DESC LIMIT $count;",
            engine,
            p => p.AddWithValue("$count", count));
        list.Reverse();
        return list;
    }

    /// <summary>The samples of an engine with <c>At</c> in (<paramref name="since"/>, now], oldest first; now comes from the store's <see cref="TimeProvider"/>.</summary>
    public IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since)
    {
        var now = _db.Time.GetUtcNow().UtcTicks;
        return Query(
            $"SELECT {SampleColumns} FROM samples WHERE engine = $engine AND at > $since AND at <= $now ORDER BY at, id;",
            engine,
            p =>
            {
                p.AddWithValue("$since", since.UtcTicks);
                p.AddWithValue("$now", now);
            });
    }

    private List<Sample> Query(string sql, Engine engine, Action<SqliteParameterCollection> bind) => _db.Run(() =>
    {
        using var command = _db.Command(sql);
        command.Parameters.AddWithValue("$engine", engine.ToWire());
        bind(command.Parameters);
        var list = new List<Sample>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            list.Add(new Sample
            {
                Engine = EngineNames.TryParse(reader.GetString(0), out var e) ? e : throw new CanarySimStoreException(_db.Path, $"samples: unknown engine '{reader.GetString(0)}'"),
                At = SqliteStore.FromTicks(reader.GetInt64(1)),
                LatencyMs = reader.GetDouble(2),
                Quality = reader.GetDouble(3),
                CostCents = reader.GetDouble(4),
                Error = reader.GetBoolean(5),
                Fallback = reader.GetBoolean(6),
                PolicyViolation = reader.GetBoolean(7),
                Complaint = reader.GetBoolean(8),
                Tokens = reader.GetInt32(9),
                Agent = reader.IsDBNull(10) ? null : reader.GetString(10),
                Scenario = reader.IsDBNull(11) ? null : reader.GetString(11),
                Role = reader.IsDBNull(12) ? null : reader.GetString(12),
                Metrics = reader.IsDBNull(13) ? null : SampleMapColumns.ReadMetrics(reader.GetString(13), _db.Path, "metrics"),
                Tags = reader.IsDBNull(14) ? null : SampleMapColumns.ReadTags(reader.GetString(14), _db.Path, "tags"),
            });
        }
        return list;
    });
}
