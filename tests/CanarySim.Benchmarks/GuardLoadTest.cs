using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CanarySim.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CanarySim.Benchmarks;

/// <summary>
/// Load test of the guard API (not a unit test): a real guard service on 127.0.0.1 (Kestrel, SQLite,
/// real router) takes <c>--rate</c> route decisions per second over HTTP for <c>--duration</c> seconds
/// (default 2 000/s for 30 s, after a short warm-up) from an open-loop, bounded-concurrency client,
/// while another client flips the config (percentage and kill switch) twice a second. Passes when no
/// request fails, no decision contradicts the snapshot it reports (kill switch on ⇒ v1), the achieved
/// rate is within 2 % of the target, p99 is under <c>--p99-ms</c> (default 20 ms) and every acknowledged decision
/// is in the audit log before the service stops (acknowledged means committed).
/// <c>dotnet run -c Release --project tests/CanarySim.Benchmarks -- loadtest [--rate 2000] [--duration 30] [--out reports/bench]</c>
/// </summary>
internal static class GuardLoadTest
{
    private const string Token = "load-test-ops-token-0123456789";

    public static async Task<int> RunAsync(string[] args)
    {
        var rate = BenchArgs.Number(args, "--rate", 2000.0);
        var duration = TimeSpan.FromSeconds(BenchArgs.Number(args, "--duration", 30.0));
        var warmup = TimeSpan.FromSeconds(BenchArgs.Number(args, "--warmup", 3.0));
        var p99Limit = BenchArgs.Number(args, "--p99-ms", 20.0);
        var maxInFlight = (int)BenchArgs.Number(args, "--max-in-flight", 256.0);
        var outDir = BenchArgs.OutDir(args);
        Directory.CreateDirectory(outDir);

        var dir = Path.Combine(Path.GetTempPath(), "canarysim-loadtest", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var options = new GuardServiceOptions
        {
            Urls = "http://127.0.0.1:0",
            DatabasePath = Path.Combine(dir, "guard.db"),
            OpsToken = Token,
        };
        var builder = GuardServiceHost.CreateBuilder([], options);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        await using var app = GuardServiceHost.Build(builder);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine($"guard service on {address}; {rate:0}/s for {duration.TotalSeconds:0} s (+{warmup.TotalSeconds:0} s warm-up), config flipped every 500 ms");

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = maxInFlight, PooledConnectionLifetime = TimeSpan.FromMinutes(10), UseProxy = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        await Put(client, """{"canary_pct": 50, "reason": "load test start"}""");

        // Warm-up: JIT, connection pool, SQLite pages.
        var warm = await Drive(client, rate, warmup, maxInFlight, null, CancellationToken.None);

        using var stopFlipping = new CancellationTokenSource();
        var flips = Flip(client, stopFlipping.Token);
        var result = await Drive(client, rate, duration, maxInFlight, new List<double>((int)(rate * duration.TotalSeconds) + 1024), CancellationToken.None);
        await stopFlipping.CancelAsync();
        var (flipCount, flipFailures) = await flips;
        // Every decision answered 200 was committed before its answer: count them in the audit log while the
        // service still runs (no shutdown flush helps), from a connection of its own.
        var audited = CountRouteEvents(options.DatabasePath);
        var acknowledged = warm.Completed + result.Completed;
        var commits = app.Services.GetRequiredService<CanarySim.Service.Guard.GuardRuntime>().RouteAuditCommits;
        await app.StopAsync();

        var latencies = result.Latencies!;
        latencies.Sort();
        double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Max(0, (int)Math.Ceiling(q * latencies.Count) - 1)];
        var achieved = result.Completed / result.Elapsed.TotalSeconds;
        var p99 = P(0.99);
        var ok = result.Failed == 0 && flipFailures == 0 && result.Contradictions == 0 && p99 < p99Limit && achieved >= rate * 0.98 && audited >= acknowledged;
        var report = new JsonObject
        {
            ["target_rate_per_s"] = rate,
            ["duration_s"] = duration.TotalSeconds,
            ["requests"] = result.Completed + result.Failed,
            ["completed"] = result.Completed,
            ["failed"] = result.Failed,
            ["achieved_rate_per_s"] = Math.Round(achieved, 1),
            ["latency_ms"] = new JsonObject
            {
                ["p50"] = Math.Round(P(0.50), 3), ["p90"] = Math.Round(P(0.90), 3), ["p99"] = Math.Round(p99, 3),
                ["p999"] = Math.Round(P(0.999), 3), ["max"] = Math.Round(latencies.Count == 0 ? double.NaN : latencies[^1], 3),
            },
            ["max_schedule_lag_ms"] = Math.Round(result.MaxLagMs, 3),
            ["config_flips"] = flipCount,
            ["config_flip_failures"] = flipFailures,
            ["selected"] = new JsonObject { ["v1"] = result.V1, ["v2"] = result.V2 },
            ["kill_switch_decisions"] = result.KillSwitchDecisions,
            ["contradictory_decisions"] = result.Contradictions,
            ["acknowledged_decisions"] = acknowledged,
            ["audited_decisions_before_shutdown"] = audited,
            ["durable_acknowledgements"] = true,
            ["audit_commits"] = commits,
            ["load_average_1m"] = LoadAverage(),
            ["decisions_per_commit"] = commits == 0 ? 0 : Math.Round((double)acknowledged / commits, 1),
            ["p99_limit_ms"] = p99Limit,
            ["ok"] = ok,
            ["machine"] = $"{Environment.ProcessorCount} cores, .NET {Environment.Version}",
        };
        var json = report.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        File.WriteAllText(Path.Combine(outDir, "guard-loadtest.json"), json);
        var md = new StringBuilder()
            .AppendLine("# Guard API load test")
            .AppendLine()
            .AppendLine($"**{(ok ? "PASS" : "FAIL")}** — {rate:0} route decisions/s over HTTP for {duration.TotalSeconds:0} s on 127.0.0.1, config flipped every 500 ms. " +
                        "Acknowledgements are durable: each 200 comes after the decision's audit event is committed (group commit).")
            .AppendLine()
            .AppendLine("| measure | value |").AppendLine("|---|---|")
            .AppendLine(CultureInfo.InvariantCulture, $"| requests (completed / failed) | {result.Completed} / {result.Failed} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| achieved rate | {achieved:0.0}/s |")
            .AppendLine(CultureInfo.InvariantCulture, $"| latency p50 / p90 / p99 / p99.9 / max | {P(0.5):0.00} / {P(0.9):0.00} / {p99:0.00} / {P(0.999):0.00} / {(latencies.Count == 0 ? double.NaN : latencies[^1]):0.00} ms |")
            .AppendLine(CultureInfo.InvariantCulture, $"| p99 limit | {p99Limit} ms |")
            .AppendLine(CultureInfo.InvariantCulture, $"| config flips (failed) | {flipCount} ({flipFailures}) |")
            .AppendLine(CultureInfo.InvariantCulture, $"| selected v1 / v2 | {result.V1} / {result.V2} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| contradictory decisions (kill switch on but v2) | {result.Contradictions} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| acknowledged (200) / committed to the audit log before shutdown | {acknowledged} / {audited} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| audit transactions (group commits) / decisions per commit | {commits} / {(commits == 0 ? 0 : (double)acknowledged / commits):0.0} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| load average at the end (1 min) | {LoadAverage()} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| max schedule lag of the client | {result.MaxLagMs:0.0} ms |")
            .AppendLine(CultureInfo.InvariantCulture, $"| machine | {Environment.ProcessorCount} cores, .NET {Environment.Version} |")
            .ToString();
        var exitCode = BenchReport.Finish(outDir, "guard-loadtest.md", "guard-loadtest.summary.json", "Guard API load test (route decisions over HTTP)",
            $"{achieved:0}/s, p99 {p99:0.00} ms, {result.Failed} failed", ok, md);
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        return exitCode;
    }

    /// <summary>The 1-minute load average (Linux), so a report taken on a busy machine says so.</summary>
    internal static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static long CountRouteEvents(string database)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM audit_log WHERE type = 'engine_route';";
        return (long)command.ExecuteScalar()!;
    }

    private sealed class DriveResult
    {
        public long Completed;
        public long Failed;
        public long V1;
        public long V2;
        public long KillSwitchDecisions;
        public long Contradictions;
        public double MaxLagMs;
        public TimeSpan Elapsed;
        public List<double>? Latencies;
    }

    /// <summary>Open loop: request i is due at start + i/rate; at most <paramref name="maxInFlight"/> outstanding.</summary>
    private static async Task<DriveResult> Drive(HttpClient client, double rate, TimeSpan duration, int maxInFlight, List<double>? latencies, CancellationToken ct)
    {
        var result = new DriveResult { Latencies = latencies };
        var gate = new SemaphoreSlim(maxInFlight);
        var total = (long)(rate * duration.TotalSeconds);
        var pending = new List<Task>((int)Math.Min(total, 100_000));
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (sent < total)
        {
            var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * rate) + 1);
            while (sent < due)
            {
                var lag = clock.Elapsed.TotalMilliseconds - sent * 1000.0 / rate;
                if (lag > result.MaxLagMs)
                {
                    result.MaxLagMs = lag;
                }
                await gate.WaitAsync(ct);
                var i = sent++;
                pending.Add(One(client, i, result, gate));
            }
            await Task.Delay(1, ct);
        }
        await Task.WhenAll(pending);
        result.Elapsed = clock.Elapsed;
        return result;
    }

    private static async Task One(HttpClient client, long i, DriveResult result, SemaphoreSlim gate)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var content = new StringContent($"{{\"session_id\":\"session-{i % 50_000}\"}}", Encoding.UTF8, "application/json");
            using var response = await client.PostAsync("/guard/route", content);
            var body = await response.Content.ReadAsStringAsync();
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref result.Failed);
                return;
            }
            var d = JsonNode.Parse(body)!;
            var v2 = d["selected"]!.GetValue<string>() == "v2";
            var kill = d["kill_switch"]!.GetValue<bool>();
            Interlocked.Increment(ref v2 ? ref result.V2 : ref result.V1);
            if (kill)
            {
                Interlocked.Increment(ref result.KillSwitchDecisions);
                if (v2 || d["reason"]!.GetValue<string>() != "kill_switch")
                {
                    Interlocked.Increment(ref result.Contradictions);
                }
            }
            Interlocked.Increment(ref result.Completed);
            if (result.Latencies is { } list)
            {
                lock (list)
                {
                    list.Add(ms);
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            Interlocked.Increment(ref result.Failed);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<(int Flips, int Failures)> Flip(HttpClient client, CancellationToken ct)
    {
        int flips = 0, failures = 0;
        var bodies = new[]
        {
            """{"canary_pct": 5, "reason": "load test flip"}""",
            """{"kill_switch": true, "reason": "load test flip"}""",
            """{"kill_switch": false, "canary_pct": 50, "reason": "load test flip"}""",
            """{"canary_pct": 25, "mode": "canary", "reason": "load test flip"}""",
        };
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    using var response = await client.PutAsync("/guard/config", new StringContent(bodies[flips % bodies.Length], Encoding.UTF8, "application/json"), ct);
                    if (!response.IsSuccessStatusCode)
                    {
                        failures++;
                    }
                }
                catch (HttpRequestException)
                {
                    failures++;
                }
                flips++;
            }
        }
        catch (OperationCanceledException)
        {
        }
        return (flips, failures);
    }

    private static async Task Put(HttpClient client, string json)
    {
        using var response = await client.PutAsync("/guard/config", new StringContent(json, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }
}
