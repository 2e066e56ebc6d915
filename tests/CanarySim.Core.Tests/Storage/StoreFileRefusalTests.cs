using CanarySim.Storage.Sqlite;
using CanarySim.Testing;
using Microsoft.Data.Sqlite;

namespace CanarySim.Core.Tests.Storage;

/// <summary>A file that is not a usable CanarySim store is refused with a clear error and left byte-identical.</summary>
public sealed class StoreFileRefusalTests
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 19, 10, 0, 0, TimeSpan.Zero);
    private TempDirectory _folder = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = new TempDirectory("tests");
        _clock = new FakeTimeProvider(T0);
    }

    [TearDown]
    public void TearDown() => _folder.Dispose();

    private void AssertRefused(string path, string expectedProblem, bool sqliteMustNotTouchIt = true)
    {
        var before = File.ReadAllBytes(path);
        var ex = Assert.Throws<CanarySimStoreException>(() => SqliteStore.Open(path, _clock).Dispose());
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain(path), "the message names the file");
            Assert.That(ex.Problem, Does.Contain(expectedProblem));
            Assert.That(ex.Path, Is.EqualTo(path));
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(before), "the refused file is left byte-identical");
            if (sqliteMustNotTouchIt)
            {
                Assert.That(File.Exists(path + "-wal") || File.Exists(path + "-journal"), Is.False, "SQLite never opened the refused file");
            }
        });
    }

    private string CreateStoreWithData(string name)
    {
        var path = _folder.File(name);
        using var store = SqliteStore.Open(path, _clock);
        store.Samples.AddRange(Enumerable.Range(0, 500).Select(i => new Sample { Engine = Engine.V2, At = T0.AddSeconds(i), LatencyMs = i, Agent = $"agent-{i}" }));
        return path; // disposing the only connection checkpoints the WAL into the file
    }

    [Test]
    public void Random_bytes_are_refused_as_not_sqlite()
    {
        var path = _folder.File("random.db");
        var bytes = new byte[8192];
        new Random(42).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        AssertRefused(path, "is not a SQLite database");
    }

    [Test]
    public void A_text_file_is_refused_as_not_sqlite()
    {
        var path = _folder.File("notes.txt");
        File.WriteAllText(path, "canary_pct=10\nkill_switch=false\n");
        AssertRefused(path, "is not a SQLite database");
    }

    [Test]
    public void A_foreign_sqlite_database_without_application_id_is_refused()
    {
        var path = _folder.File("foreign.db");
        CreateForeignDatabase(path, applicationId: null);
        AssertRefused(path, "another application (application_id 0x00000000");
    }

    [Test]
    public void A_sqlite_database_of_another_application_is_refused()
    {
        var path = _folder.File("fossil.db");
        CreateForeignDatabase(path, applicationId: 0x0F055112);
        AssertRefused(path, "application_id 0x0F055112");
    }

    [Test]
    public void A_truncated_store_is_refused()
    {
        var path = CreateStoreWithData("truncated.db");
        var length = new FileInfo(path).Length;
        Assert.That(length, Is.GreaterThan(8 * 4096), "the store spans many pages");
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(length / 2);
        }
        AssertRefused(path, "is truncated");
    }

    [Test]
    public void A_store_truncated_inside_its_header_is_refused()
    {
        var path = CreateStoreWithData("stub.db");
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(40);
        }
        AssertRefused(path, "shorter than the 100-byte SQLite header");
    }

    [Test]
    public void A_store_with_damaged_pages_is_refused()
    {
        var path = CreateStoreWithData("damaged.db");
        var bytes = File.ReadAllBytes(path);
        var garbage = new byte[bytes.Length - 4096];
        new Random(7).NextBytes(garbage);
        garbage.CopyTo(bytes, 4096); // every page but the first
        File.WriteAllBytes(path, bytes);
        AssertRefused(path, "is damaged", sqliteMustNotTouchIt: false);
    }

    [Test]
    public void A_store_from_a_newer_schema_is_refused()
    {
        var path = CreateStoreWithData("newer.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA journal_mode = DELETE; PRAGMA user_version = {SqliteStore.SchemaVersion + 1};";
            command.ExecuteNonQuery();
        }
        AssertRefused(path, $"newer CanarySim (schema version {SqliteStore.SchemaVersion + 1}");
    }

    [Test]
    public void A_directory_is_refused()
    {
        var ex = Assert.Throws<CanarySimStoreException>(() => SqliteStore.Open(_folder.Path, _clock));
        Assert.That(ex!.Message, Does.Contain(_folder.Path).And.Contain("is a directory"));
    }

    [Test]
    public void An_empty_file_becomes_a_new_store()
    {
        var path = _folder.File("empty.db");
        File.WriteAllBytes(path, []);
        using (var store = SqliteStore.Open(path, _clock))
        {
            store.Samples.Add(new Sample { Engine = Engine.V1, At = T0, LatencyMs = 5 });
        }
        using var reopened = SqliteStore.Open(path, _clock);
        Assert.That(reopened.Samples.LastRuns(Engine.V1, 5).Single().LatencyMs, Is.EqualTo(5));
    }

    private static void CreateForeignDatabase(string path, int? applicationId)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = (applicationId is { } id ? $"PRAGMA application_id = {id};" : "")
            + "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers(name) VALUES ('Ada'), ('Grace');";
        command.ExecuteNonQuery();
    }
}
