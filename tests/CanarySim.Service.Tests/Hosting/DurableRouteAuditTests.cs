using CanarySim.Core.Audit;
using CanarySim.Service.Guard;
using Microsoft.Data.Sqlite;

namespace CanarySim.Service.Tests.Hosting;

/// <summary>
/// Item 2: 85 of 65,240 acknowledged route decisions were missing after SIGKILL because the batch writer
/// acknowledged before it committed. A 200 now means the decision's audit event is committed.
/// </summary>
[TestFixture]
public sealed class DurableRouteAuditTests : GuardHostFixture
{
    private long CommittedRouteEvents()
    {
        // A separate connection sees only what is committed.
        using var connection = new SqliteConnection($"Data Source={Host.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM audit_log WHERE type = 'engine_route';";
        return (long)command.ExecuteScalar()!;
    }

    [Test]
    public async Task Every_answered_route_decision_is_already_committed_when_the_answer_arrives()
    {
        await Host.PutConfigAsync("""{"canary_pct": 50, "reason": "r"}""");

        var answers = await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            Host.Authorized.PostAsync("/guard/route", GuardHost.Json($$"""{"session_id":"s-{{i}}"}"""))));

        Assert.That(answers.Select(a => a.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(CommittedRouteEvents(), Is.EqualTo(300), "read right after the answers, before any shutdown flush");
    }

    [Test]
    public async Task When_the_audit_log_cannot_commit_the_decision_is_not_acknowledged()
    {
        using (var connection = new SqliteConnection($"Data Source={Host.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE audit_log;";
            drop.ExecuteNonQuery();
        }

        var response = await Host.Authorized.PostAsync("/guard/route", GuardHost.Json("""{"session_id":"s-1"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(body["error"]!.GetValue<string>(), Is.EqualTo("audit_unavailable"));
        Assert.That(body["reason"]!.GetValue<string>(), Does.Contain("not acknowledged"));
        Assert.That(Host.Runtime.DroppedAuditEvents, Is.EqualTo(1));
    }
}

/// <summary>The group-commit sink on its own: batches form while a commit runs; nobody is answered before their batch is stored.</summary>
[TestFixture]
public sealed class GroupCommitAuditSinkTests
{
    private static AuditEvent Event(int i) => new(DateTimeOffset.UnixEpoch.AddSeconds(i), "engine_route", "{}");

    [Test]
    public async Task A_wait_completes_only_after_its_batch_is_written_and_later_events_form_the_next_batch()
    {
        using var writing = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        var batches = new List<int>();
        using var sink = new GroupCommitAuditSink(batch =>
        {
            writing.Release();
            release.Wait();
            lock (batches)
            {
                batches.Add(batch.Count);
            }
        }, _ => { });

        sink.Append(Event(1));
        var first = sink.WhenCommittedAsync();
        await writing.WaitAsync();                   // the writer holds batch 1
        Assert.That(first.IsCompleted, Is.False, "acknowledged before its commit");
        for (var i = 2; i <= 5; i++)
        {
            sink.Append(Event(i));
        }
        var second = sink.WhenCommittedAsync();
        Assert.That(second, Is.Not.SameAs(first));

        release.Release();                          // batch 1 commits
        await first;
        Assert.That(second.IsCompleted, Is.False);
        await writing.WaitAsync();                   // batch 2 (events 2-5) is being written
        release.Release();
        await second;

        Assert.That(batches, Is.EqualTo(new[] { 1, 4 }));
        Assert.That(sink.Commits, Is.EqualTo(2));
        Assert.That(sink.WhenCommittedAsync().IsCompleted, Is.True, "nothing pending");
    }

    [Test]
    public void A_failed_commit_fails_its_waiters_and_is_counted()
    {
        // The writer fails only when the test lets it: unheld, it could fail both events before the test asks for its
        // wait, which would then find nothing pending (a completed task) on a machine that descheduled the test thread.
        using var release = new SemaphoreSlim(0);
        using var sink = new GroupCommitAuditSink(_ =>
        {
            release.Wait();
            throw new IOException("disk full");
        }, _ => { });
        sink.Append(Event(1));
        sink.Append(Event(2));

        var wait = sink.WhenCommittedAsync();
        Assert.That(wait.IsCompleted, Is.False, "event 2 is not stored yet");
        release.Release(2); // one batch, or one per event

        Assert.ThrowsAsync<AuditWriteException>(async () => await wait);
        Assert.That(sink.Failed, Is.EqualTo(2));
    }

    [Test]
    public void Dispose_commits_what_is_open()
    {
        var written = 0;
        var sink = new GroupCommitAuditSink(batch => Interlocked.Add(ref written, batch.Count), _ => { });
        for (var i = 0; i < 50; i++)
        {
            sink.Append(Event(i));
        }

        sink.Dispose();

        Assert.That(written, Is.EqualTo(50));
    }
}
