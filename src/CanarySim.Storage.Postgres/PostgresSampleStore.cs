using System.Text.Json;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using Npgsql;
using NpgsqlTypes;

namespace CanarySim.Storage.Postgres;

/// <summary>The metric samples of every instance in a <see cref="PostgresStore"/>, read back as detector windows.</summary>
public sealed class PostgresSampleStore : IMetricsStore
{
    private const string SampleColumns =
        "engine, at, latency_ms, quality, cost_cents, error, fallback, policy_violation, complaint, tokens, agent, scenario, role, metrics, tags";

    private readonly PostgresStore _db;

    internal PostgresSampleStore(PostgresStore db) => _db = db;

    /// <summary>Records one sample; durable when this returns.</summary>
    public void Add(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        AddRange([sample]);
    }

    /// <summary>Records several samples in one statement (all or none), in their order.</summary>
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
                """, connection);
            Add(insert, "engine", NpgsqlDbType.Text, list, s => s.Engine.ToWire());
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
            Add(insert, "metrics", NpgsqlDbType.Text, list, s => MapColumn(s.Metrics));
            Add(insert, "tags", NpgsqlDbType.Text, list, s => MapColumn(s.Tags));
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
        var list = Query(
            $"SELECT {SampleColumns} FROM samples WHERE engine = @engine ORDER BY id DESC LIMIT @count;",
            engine,
            p => p.AddWithValue("count", count));
        list.Reverse();
        return list;
    }

    /// <summary>The samples of an engine with <c>At</c> in (<paramref name="since"/>, now], oldest first; now comes from the store's <see cref="TimeProvider"/>.</summary>
    public IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since)
    {
        var now = _db.Time.GetUtcNow().UtcTicks;
        return Query(
            $"SELECT {SampleColumns} FROM samples WHERE engine = @engine AND at > @since AND at <= @now ORDER BY at, id;",
            engine,
            p =>
            {
                p.AddWithValue("since", since.UtcTicks);
                p.AddWithValue("now", now);
            });
    }

    // a map is stored as a JSON object with names in ordinal order, and a missing or empty map as NULL
    private static string? MapColumn<T>(IReadOnlyDictionary<string, T>? map) =>
        map is not { Count: > 0 } ? null : JsonSerializer.Serialize(new SortedDictionary<string, T>(map.ToDictionary(), StringComparer.Ordinal));

    private static void Add<T>(NpgsqlCommand command, string name, NpgsqlDbType type, List<Sample> samples, Func<Sample, T> value) =>
        command.Parameters.AddWithValue(name, NpgsqlDbType.Array | type, samples.Select(value).ToArray());

    private List<Sample> Query(string sql, Engine engine, Action<NpgsqlParameterCollection> bind) => _db.Run(connection =>
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("engine", engine.ToWire());
        bind(command.Parameters);
        var list = new List<Sample>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            list.Add(new Sample
            {
                Engine = EngineNames.TryParse(reader.GetString(0), out var e) ? e : throw new PostgresStoreException(_db.Location, $"samples: unknown engine '{reader.GetString(0)}'"),
                At = PostgresStore.FromTicks(reader.GetInt64(1)),
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
                Metrics = reader.IsDBNull(13) ? null : ReadMap<double>(reader.GetString(13), "metrics"),
                Tags = reader.IsDBNull(14) ? null : ReadMap<string>(reader.GetString(14), "tags"),
            });
        }
        return list;
    });

    private Dictionary<string, T> ReadMap<T>(string json, string column)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, T>>(json) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new PostgresStoreException(_db.Location, $"samples.{column}: expected a JSON object of {(typeof(T) == typeof(double) ? "numbers" : "strings")} ({ex.Message})", ex);
        }
    }
}
