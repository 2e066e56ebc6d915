using System.Text.Json;
using CanarySim.Storage.Sqlite;
using CanarySim.Testing;

namespace CanarySim.Core.Tests.Storage;

/// <summary>
/// Real child processes (tests/CanarySim.StoreWriter) writing to one store file: SIGKILL mid-append
/// and two concurrent writers. Synchronised on the children's acknowledgement lines, never on time.
/// </summary>
[NonParallelizable]
public sealed class StoreProcessTests
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 19, 10, 0, 0, TimeSpan.Zero);
    private TempDirectory _folder = null!;

    [SetUp]
    public void SetUp() => _folder = new TempDirectory("tests");

    [TearDown]
    public void TearDown() => _folder.Dispose();

    private sealed record Acks(List<long> Sequences, HashSet<(string Writer, int I)> Settings, HashSet<(string Writer, int I)> Audits, HashSet<(string Writer, int I)> Samples)
    {
        public static Acks Empty() => new([], [], [], []);

        public void Add(string line)
        {
            var parts = line.Split(' ');
            switch (parts[0])
            {
                case "settings":
                    Sequences.Add(long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
                    Settings.Add((parts[2], int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture)));
                    break;
                case "audit":
                    Audits.Add((parts[1], int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)));
                    break;
                case "sample":
                    Samples.Add((parts[1], int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)));
                    break;
                default:
                    Assert.Fail($"unexpected line from the store writer: '{line}'");
                    break;
            }
        }
    }

    private static (HashSet<(string, int)> Settings, List<long> Sequences, HashSet<(string, int)> Audits, HashSet<(string, int)> Samples, string Integrity) ReadBack(string path)
    {
        using var store = SqliteStore.Open(path, new FakeTimeProvider(T0.AddYears(10)));
        var history = store.Settings.History();
        var settings = history.Select(h => (h.Actor, int.Parse(h.Reason.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture))).ToHashSet();
        var audits = store.Audit.Read("writer_test").Select(e =>
        {
            using var doc = JsonDocument.Parse(e.Data);
            return (doc.RootElement.GetProperty("writer").GetString()!, doc.RootElement.GetProperty("i").GetInt32());
        }).ToHashSet();
        var samples = store.Samples.LastRuns(Engine.V2, int.MaxValue).Select(s => (s.Agent!, s.Tokens)).ToHashSet();
        return (settings, history.Select(h => h.Sequence).ToList(), audits, samples, store.CheckIntegrity());
    }

    [Test]
    public async Task A_writer_killed_with_SIGKILL_mid_append_loses_no_acknowledged_event_and_leaves_a_readable_store()
    {
        var path = _folder.File("crash.db");
        var acks = Acks.Empty();
        using (var writer = StoreWriterProcess.Start(path, "w1", iterations: 0))
        {
            await writer.ExpectReadyAsync();
            while (acks.Samples.Count < 25)
            {
                var line = await writer.ReadLineAsync();
                Assert.That(line, Is.Not.Null, $"writer exited early; stderr:\n{writer.Stderr}");
                acks.Add(line!);
            }
            await writer.KillAsync(); // the writer is in its endless append loop: this lands mid-write
            // 128 + 9: the child died of SIGKILL, with no chance to finish a transaction or close the file
            Assert.That(writer.ExitCode, OperatingSystem.IsWindows() ? Is.Not.Zero : Is.EqualTo(137), "the writer was killed, it did not finish");
        }

        var back = ReadBack(path);
        Assert.Multiple(() =>
        {
            Assert.That(back.Integrity, Is.EqualTo("ok"));
            Assert.That(acks.Settings.Except(back.Settings), Is.Empty, "acknowledged settings changes are all stored");
            Assert.That(acks.Audits.Except(back.Audits), Is.Empty, "acknowledged audit events are all stored");
            Assert.That(acks.Samples.Except(back.Samples), Is.Empty, "acknowledged samples are all stored");
            Assert.That(back.Sequences, Is.EqualTo(Enumerable.Range(1, back.Sequences.Count).Select(i => (long)i)), "sequences are gap-free");
            Assert.That(back.Sequences.Take(acks.Sequences.Count), Is.EqualTo(acks.Sequences));
        });

        // the store stays writable after the crash
        using var store = SqliteStore.Open(path, new FakeTimeProvider(T0));
        var next = store.Settings.Commit(latest => new Core.Rollback.SettingsChange(0, T0, "ops", Core.Rollback.SettingsChangeKind.Config, "after crash", latest.Settings, RouterSettings.Default, []))!;
        Assert.That(next.Sequence, Is.EqualTo(back.Sequences.Count + 1));
    }

    [Test]
    public async Task Two_processes_writing_concurrently_both_land_with_unique_sequences()
    {
        const int perWriter = 25;
        var path = _folder.File("shared.db");
        SqliteStore.Open(path, new FakeTimeProvider(T0)).Dispose(); // create it before the race

        using var a = StoreWriterProcess.Start(path, "a", perWriter, waitForGo: true);
        using var b = StoreWriterProcess.Start(path, "b", perWriter, waitForGo: true);
        await a.ExpectReadyAsync();
        await b.ExpectReadyAsync();
        a.Go();
        b.Go();
        var linesA = await a.ReadToEndAsync();
        var linesB = await b.ReadToEndAsync();
        Assert.That((a.ExitCode, b.ExitCode), Is.EqualTo((0, 0)), $"stderr a:\n{a.Stderr}\nstderr b:\n{b.Stderr}");

        var acks = Acks.Empty();
        foreach (var line in linesA.Concat(linesB))
        {
            acks.Add(line);
        }
        var back = ReadBack(path);
        var expected = new[] { "a", "b" }.SelectMany(w => Enumerable.Range(1, perWriter).Select(i => (w, i))).ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(acks.Settings.SetEquals(expected), Is.True, "each writer acknowledged all its changes");
            Assert.That(back.Settings.SetEquals(expected), Is.True, "every settings change of both writers is stored");
            Assert.That(back.Audits.SetEquals(expected), Is.True, "every audit event of both writers is stored");
            Assert.That(back.Samples.SetEquals(expected), Is.True, "every sample of both writers is stored");
            Assert.That(acks.Sequences, Is.Unique, "no two writers got the same sequence number");
            Assert.That(back.Sequences, Is.EqualTo(Enumerable.Range(1, 2 * perWriter).Select(i => (long)i)));
            Assert.That(back.Integrity, Is.EqualTo("ok"));
        });
    }
}
