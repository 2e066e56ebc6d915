using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using CanarySim.Core.Audit;
using CanarySim.Core.Detection;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;
using Microsoft.Data.Sqlite;

namespace CanarySim.Storage.Sqlite;

/// <summary>
/// The embedded default store (SPEC §5): one SQLite file holding the current router settings and
/// their full history, the append-only audit log and the metric samples. WAL journaling, so readers
/// never block the writer; every append is its own transaction and is durable when it returns
/// (see <see cref="SqliteStoreOptions.Synchronous"/>). Safe for several threads and for several
/// processes on the same file. Open with <see cref="Open"/>; a file that is not a CanarySim store
/// (not SQLite, damaged, truncated, another application's database, a newer schema) is refused
/// with a <see cref="CanarySimStoreException"/> and never modified.
/// </summary>
public sealed class SqliteStore : ISettingsStore, IAuditSink, IAuditReader, IMetricsStore, IDisposable
{
    /// <summary>The schema version this build writes and reads (also PRAGMA user_version).</summary>
    public const int SchemaVersion = StoreFile.SchemaVersion;

    /// <summary>PRAGMA application_id marking a CanarySim store (ASCII "CnSm").</summary>
    public const int ApplicationId = StoreFile.ApplicationId;

    private const string SampleColumns =
        "engine, at, latency_ms, quality, cost_cents, error, fallback, policy_violation, complaint, tokens, agent, scenario, role";

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private bool _disposed;

    private SqliteStore(string path, SqliteConnection connection, TimeProvider time)
    {
        Path = path;
        _connection = connection;
        _time = time;
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens the store at <paramref name="path"/>, creating the file (and its folder) with the schema
    /// when it does not exist or is empty.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="timeProvider">The clock for everything the store stamps (<c>recorded_at</c>) and for "now" in <see cref="Since"/>.</param>
    /// <param name="options">Durability and locking options; <see cref="SqliteStoreOptions.Default"/> when null.</param>
    /// <exception cref="CanarySimStoreException">The file is not a usable CanarySim store; it was left untouched.</exception>
    public static SqliteStore Open(string path, TimeProvider timeProvider, SqliteStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options ??= SqliteStoreOptions.Default;
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);

        var fullPath = System.IO.Path.GetFullPath(path);
        var isNew = StoreFile.IsNew(fullPath);
        if (isNew)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        }
        else
        {
            StoreFile.CheckHeader(fullPath);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = isNew ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false, // one long-lived connection per store; pooling would keep the file open after Dispose
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds};");
            var created = isNew && CreateSchemaIfEmpty(connection, fullPath, timeProvider);
            Validate(connection, fullPath, verify: options.VerifyOnOpen && !created);

            // WAL: readers never block the writer and a commit is one sequential append to the log.
            var journal = Scalar<string>(connection, "PRAGMA journal_mode = WAL;");
            if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new CanarySimStoreException(fullPath, $"cannot switch to WAL journaling (journal_mode is {journal}); is the file on a network or read-only file system?");
            }
            Execute(connection, options.Synchronous == SqliteSynchronousMode.Full ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;");
            return new SqliteStore(fullPath, connection, timeProvider);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new CanarySimStoreException(fullPath, Explain(ex), ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // ---------------------------------------------------------------- settings

    /// <inheritdoc />
    public RouterSettings Current => Run(() =>
    {
        using var command = Command("SELECT sequence, settings_json FROM settings_current WHERE id = 1;");
        using var reader = command.ExecuteReader();
        return reader.Read() ? ParseSettings(reader.GetString(1), $"settings_current (sequence {reader.GetInt64(0)})") : RouterSettings.Default;
    });

    /// <summary>
    /// Durably records a change and makes its <see cref="SettingsChange.After"/> current, in one
    /// IMMEDIATE transaction, so writers in several processes get unique, gap-free sequence numbers.
    /// </summary>
    public SettingsChange Append(SettingsChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var before = RouterSettingsJson.Serialize(change.Before);
        var after = RouterSettingsJson.Serialize(change.After);
        var breaches = JsonSerializer.Serialize(change.Breaches ?? []);
        return Run(() =>
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            using var next = Command("SELECT COALESCE(MAX(sequence), 0) + 1 FROM settings_history;", transaction);
            var sequence = Convert.ToInt64(next.ExecuteScalar(), CultureInfo.InvariantCulture);
            var recordedAt = _time.GetUtcNow().UtcTicks;

            using var insert = Command("""
                INSERT INTO settings_history(sequence, at, actor, kind, reason, before_json, after_json, breaches_json, recorded_at)
                VALUES ($sequence, $at, $actor, $kind, $reason, $before, $after, $breaches, $recorded);
                """, transaction);
            insert.Parameters.AddWithValue("$sequence", sequence);
            insert.Parameters.AddWithValue("$at", change.At.UtcTicks);
            insert.Parameters.AddWithValue("$actor", change.Actor ?? "");
            insert.Parameters.AddWithValue("$kind", change.Kind ?? "");
            insert.Parameters.AddWithValue("$reason", change.Reason ?? "");
            insert.Parameters.AddWithValue("$before", before);
            insert.Parameters.AddWithValue("$after", after);
            insert.Parameters.AddWithValue("$breaches", breaches);
            insert.Parameters.AddWithValue("$recorded", recordedAt);
            insert.ExecuteNonQuery();

            using var current = Command("""
                INSERT INTO settings_current(id, sequence, settings_json, updated_at) VALUES (1, $sequence, $after, $recorded)
                ON CONFLICT(id) DO UPDATE SET sequence = excluded.sequence, settings_json = excluded.settings_json, updated_at = excluded.updated_at;
                """, transaction);
            current.Parameters.AddWithValue("$sequence", sequence);
            current.Parameters.AddWithValue("$after", after);
            current.Parameters.AddWithValue("$recorded", recordedAt);
            current.ExecuteNonQuery();

            transaction.Commit();
            return change with { Sequence = sequence };
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<SettingsChange> History(int? limit = null)
    {
        if (limit is <= 0)
        {
            return [];
        }
        return Run(() =>
        {
            using var command = Command(limit is null
                ? "SELECT sequence, at, actor, kind, reason, before_json, after_json, breaches_json FROM settings_history ORDER BY sequence;"
                : "SELECT sequence, at, actor, kind, reason, before_json, after_json, breaches_json FROM settings_history ORDER BY sequence DESC LIMIT $limit;");
            command.Parameters.AddWithValue("$limit", limit ?? 0);
            var list = new List<SettingsChange>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var sequence = reader.GetInt64(0);
                var where = $"settings_history (sequence {sequence})";
                list.Add(new SettingsChange(
                    sequence,
                    FromTicks(reader.GetInt64(1)),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.GetString(4),
                    ParseSettings(reader.GetString(5), where + " before_json"),
                    ParseSettings(reader.GetString(6), where + " after_json"),
                    ParseBreaches(reader.GetString(7), where)));
            }
            if (limit is not null)
            {
                list.Reverse();
            }
            return list;
        });
    }

    // ---------------------------------------------------------------- audit

    /// <summary>Appends one audit event in its own transaction; durable when this returns.</summary>
    /// <exception cref="ArgumentException"><see cref="AuditEvent.Data"/> is not a JSON object text.</exception>
    public void Append(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        AppendRange([auditEvent]);
    }

    /// <summary>Appends several audit events in one transaction (all or none); durable when this returns.</summary>
    /// <exception cref="ArgumentException">An event's <see cref="AuditEvent.Data"/> is not a JSON object text.</exception>
    public void AppendRange(IEnumerable<AuditEvent> auditEvents)
    {
        ArgumentNullException.ThrowIfNull(auditEvents);
        var events = auditEvents.ToList();
        foreach (var e in events)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(auditEvents));
            EnsureJsonObject(e);
        }
        if (events.Count == 0)
        {
            return;
        }
        Run(() =>
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            using var insert = Command("INSERT INTO audit_log(at, type, data, recorded_at) VALUES ($at, $type, $data, $recorded);", transaction);
            var at = insert.Parameters.Add("$at", SqliteType.Integer);
            var type = insert.Parameters.Add("$type", SqliteType.Text);
            var data = insert.Parameters.Add("$data", SqliteType.Text);
            insert.Parameters.AddWithValue("$recorded", _time.GetUtcNow().UtcTicks);
            foreach (var e in events)
            {
                at.Value = e.At.UtcTicks;
                type.Value = e.Type;
                data.Value = e.Data;
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
            return 0;
        });
    }

    /// <summary>
    /// Events of the given type (all when null) with <c>At</c> at or after <paramref name="since"/>,
    /// in the order they were committed; at most the <paramref name="limit"/> most recent when given.
    /// </summary>
    public IReadOnlyList<AuditEvent> Read(string? type = null, DateTimeOffset? since = null, int? limit = null)
    {
        if (limit is <= 0)
        {
            return [];
        }
        var where = new List<string>();
        if (type is not null)
        {
            where.Add("type = $type");
        }
        if (since is not null)
        {
            where.Add("at >= $since");
        }
        var sql = "SELECT at, type, data FROM audit_log"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + (limit is null ? " ORDER BY id;" : " ORDER BY id DESC LIMIT $limit;");
        return Run(() =>
        {
            using var command = Command(sql);
            command.Parameters.AddWithValue("$type", (object?)type ?? DBNull.Value);
            command.Parameters.AddWithValue("$since", since?.UtcTicks ?? 0L);
            command.Parameters.AddWithValue("$limit", limit ?? 0);
            var list = new List<AuditEvent>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                list.Add(new AuditEvent(FromTicks(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2)));
            }
            if (limit is not null)
            {
                list.Reverse();
            }
            return list;
        });
    }

    // ---------------------------------------------------------------- samples

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
        Run(() =>
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            using var insert = Command($"""
                INSERT INTO samples({SampleColumns})
                VALUES ($engine, $at, $latency, $quality, $cost, $error, $fallback, $violation, $complaint, $tokens, $agent, $scenario, $role);
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
        var list = QuerySamples(
            $"SELECT {SampleColumns} FROM samples WHERE engine = $engine ORDER BY id DESC LIMIT $count;",
            engine,
            p => p.AddWithValue("$count", count));
        list.Reverse();
        return list;
    }

    /// <summary>The samples of an engine with <c>At</c> in (<paramref name="since"/>, now], oldest first; now comes from the store's <see cref="TimeProvider"/>.</summary>
    public IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since)
    {
        var now = _time.GetUtcNow().UtcTicks;
        return QuerySamples(
            $"SELECT {SampleColumns} FROM samples WHERE engine = $engine AND at > $since AND at <= $now ORDER BY at, id;",
            engine,
            p =>
            {
                p.AddWithValue("$since", since.UtcTicks);
                p.AddWithValue("$now", now);
            });
    }

    // ---------------------------------------------------------------- maintenance

    /// <summary>Runs <c>PRAGMA integrity_check</c>: <c>ok</c>, or the problems found, one per line.</summary>
    public string CheckIntegrity() => Run(() =>
    {
        using var command = Command("PRAGMA integrity_check;");
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }
        return string.Join('\n', lines);
    });

    /// <summary>Closes the database (the last connection to close checkpoints the WAL into the file).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _connection.Dispose();
        }
    }

    // ---------------------------------------------------------------- internals

    private T Run<T>(Func<T> action)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                return action();
            }
            catch (SqliteException ex)
            {
                throw new CanarySimStoreException(Path, Explain(ex), ex);
            }
        }
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private List<Sample> QuerySamples(string sql, Engine engine, Action<SqliteParameterCollection> bind) => Run(() =>
    {
        using var command = Command(sql);
        command.Parameters.AddWithValue("$engine", engine.ToWire());
        bind(command.Parameters);
        var list = new List<Sample>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            list.Add(new Sample
            {
                Engine = EngineNames.TryParse(reader.GetString(0), out var e) ? e : throw new CanarySimStoreException(Path, $"samples: unknown engine '{reader.GetString(0)}'"),
                At = FromTicks(reader.GetInt64(1)),
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
            });
        }
        return list;
    });

    private RouterSettings ParseSettings(string json, string where)
    {
        try
        {
            return RouterSettingsJson.Deserialize(json);
        }
        catch (FormatException ex)
        {
            throw new CanarySimStoreException(Path, $"{where}: {ex.Message}", ex);
        }
    }

    private IReadOnlyList<string> ParseBreaches(string json, string where)
    {
        try
        {
            return JsonSerializer.Deserialize<string[]>(json) ?? [];
        }
        catch (JsonException ex)
        {
            throw new CanarySimStoreException(Path, $"{where} breaches_json: expected an array of strings ({ex.Message})", ex);
        }
    }

    private static void EnsureJsonObject(AuditEvent e)
    {
        try
        {
            using var document = JsonDocument.Parse(e.Data ?? "");
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return;
            }
        }
        catch (JsonException)
        {
        }
        throw new ArgumentException($"audit event '{e.Type}' at {e.At:O}: data must be a JSON object text, got: {Truncate(e.Data)}", nameof(e));
    }

    private static string Truncate(string? text) => text is null ? "null" : text.Length <= 80 ? text : text[..80] + "…";

    private static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);

    /// <summary>Creates the schema in an empty file under the write lock; false when another process already did.</summary>
    private static bool CreateSchemaIfEmpty(SqliteConnection connection, string path, TimeProvider time)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var applicationId = Scalar<long>(connection, "PRAGMA application_id;", transaction);
        var objects = Scalar<long>(connection, "SELECT COUNT(*) FROM sqlite_master;", transaction);
        if (applicationId == ApplicationId)
        {
            return false; // a concurrent opener created it first; Validate checks it
        }
        if (applicationId != 0 || objects != 0)
        {
            throw new CanarySimStoreException(path,
                $"is a SQLite database of another application (application_id 0x{applicationId:X8}, {objects} schema objects); refusing to modify it");
        }
        Execute(connection, StoreSchema.CreateV1, transaction);
        using var meta = connection.CreateCommand();
        meta.Transaction = transaction;
        meta.CommandText = "INSERT INTO canarysim_meta(key, value) VALUES ('schema', $schema), ('schema_version', $version), ('created_at', $created), ('created_by', $by);";
        meta.Parameters.AddWithValue("$schema", StoreSchema.SchemaName);
        meta.Parameters.AddWithValue("$version", SchemaVersion.ToString(CultureInfo.InvariantCulture));
        meta.Parameters.AddWithValue("$created", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        meta.Parameters.AddWithValue("$by", "CanarySim " + typeof(SqliteStore).Assembly.GetName().Version);
        meta.ExecuteNonQuery();
        transaction.Commit();
        return true;
    }

    private static void Validate(SqliteConnection connection, string path, bool verify)
    {
        var applicationId = Scalar<long>(connection, "PRAGMA application_id;");
        if (applicationId != ApplicationId)
        {
            throw new CanarySimStoreException(path, $"is a SQLite database of another application (application_id 0x{applicationId:X8}); refusing to modify it");
        }
        var version = Scalar<long>(connection, "PRAGMA user_version;");
        if (version != SchemaVersion)
        {
            throw new CanarySimStoreException(path, version > SchemaVersion
                ? $"was written by a newer CanarySim (schema version {version}; this build reads version {SchemaVersion}); refusing to modify it"
                : $"is damaged: CanarySim store with schema version {version} (expected {SchemaVersion})");
        }
        if (verify)
        {
            var check = Scalar<string>(connection, "PRAGMA quick_check;");
            if (!string.Equals(check, "ok", StringComparison.Ordinal))
            {
                throw new CanarySimStoreException(path, $"is damaged: SQLite quick_check reports '{check}'; refusing to write to it (restore a backup or move it aside)");
            }
        }
        var hasMeta = Scalar<long>(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'canarysim_meta';");
        var schema = hasMeta == 0 ? null : Scalar<string>(connection, "SELECT value FROM canarysim_meta WHERE key = 'schema';");
        var metaVersion = hasMeta == 0 ? null : Scalar<string>(connection, "SELECT value FROM canarysim_meta WHERE key = 'schema_version';");
        if (schema != StoreSchema.SchemaName || metaVersion != SchemaVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new CanarySimStoreException(path,
                $"is damaged: table canarysim_meta should name schema '{StoreSchema.SchemaName}' version {SchemaVersion}, found '{schema ?? "(missing)"}' version {metaVersion ?? "(missing)"}");
        }
    }

    private static string Explain(SqliteException ex) => ex.SqliteErrorCode switch
    {
        5 or 6 => $"the database stayed locked by another writer longer than the busy timeout ({ex.Message})",
        11 => $"is damaged ({ex.Message}); refusing to write to it",
        26 => $"is not a SQLite database ({ex.Message}); refusing to open or overwrite it",
        8 => $"is read-only ({ex.Message})",
        13 => $"the disk is full ({ex.Message})",
        _ => $"SQLite error {ex.SqliteErrorCode}: {ex.Message}",
    };

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static T? Scalar<T>(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }
}
