using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace CanarySim.Testing;

/// <summary>What one fleet run does: which store, how many instances, flips and routing load.</summary>
/// <param name="Cli">The built <c>canarysim.dll</c>.</param>
/// <param name="Store">PostgreSQL connection string (<c>serve --store</c>), or null for <see cref="SqliteFile"/>.</param>
/// <param name="SqliteFile">The SQLite file the instances share (<c>serve --db</c>) when <see cref="Store"/> is null.</param>
/// <param name="Instances">How many <c>canarysim serve</c> processes.</param>
/// <param name="Flips">Kill-switch / re-enable flips, each made on a random live instance.</param>
/// <param name="Rate">Route decisions per second sent over HTTP to the instances (round robin) during the flips.</param>
/// <param name="KillAfterFlip">After this flip one instance is SIGKILLed (0: none).</param>
/// <param name="Seed">Seeds the choice of instance per flip and of the one killed.</param>
internal sealed record FleetRunOptions(string Cli, string? Store, string? SqliteFile, int Instances = 3, int Flips = 20, double Rate = 1000, int KillAfterFlip = 10, int Seed = 14)
{
    /// <summary>How long one flip may take to reach every live instance before the run fails it.</summary>
    public TimeSpan FlipBound { get; init; } = TimeSpan.FromSeconds(20);
}

/// <summary>What a fleet run measured.</summary>
/// <param name="PropagationMs">Per flip: from its acknowledgement (the PUT's 200) until every live instance served it (0 when all did before the 200 arrived).</param>
/// <param name="FromSendMs">Per flip: from sending the PUT until every live instance served it (includes the commit).</param>
internal sealed record FleetRunResult(
    IReadOnlyList<double> PropagationMs,
    IReadOnlyList<double> FromSendMs,
    int FlipsNotPropagated,
    long Decisions,
    long FailedDecisions,
    long TornDecisions,
    double AchievedRate,
    IReadOnlyList<long> AcknowledgedVersions,
    IReadOnlyList<long> MissingFromHistory,
    string? Killed,
    IReadOnlyList<string> Errors)
{
    /// <summary>Nearest-rank percentile of <paramref name="values"/> (NaN when empty).</summary>
    public static double Percentile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToList();
        return sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Count) - 1)];
    }
}

/// <summary>
/// A fleet of real <c>canarysim serve</c> child processes on one store. Routing load runs at a fixed rate over
/// every live instance while flips (kill switch on, then off, …, each with its own phase label) are made on a
/// random instance; for each flip it measures the time from its acknowledgement until every live instance has
/// answered a decision made on it. A decision is torn when its kill switch is not the one its phase's flip set,
/// or its engine contradicts its kill switch. Midway one instance is SIGKILLed: the others must keep serving, and
/// every acknowledged change must be in the stored history. Children run under <c>timeout</c>, so none outlives
/// the run even if this process dies.
/// </summary>
internal static class FleetRun
{
    private const string Token = "fleet-run-ops-token-0123456789";

    /// <summary>The phase of the settings the run starts from, set on one instance before the load starts.</summary>
    private const string StartPhase = "flip-0";

    public static async Task<FleetRunResult> RunAsync(FleetRunOptions o, TextWriter log)
    {
        var rng = new Random(o.Seed);
        var instances = new List<Instance>();
        var errors = new ConcurrentQueue<string>();
        try
        {
            var starting = Enumerable.Range(0, o.Instances).Select(i => Instance.StartAsync(o, $"fleet-{i}")).ToList();
            instances.AddRange(await Task.WhenAll(starting));
            log.WriteLine($"fleet: {instances.Count} instances up ({string.Join(", ", instances.Select(i => i.Url))})");
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(15) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

            var expected = new ConcurrentDictionary<string, bool> { [StartPhase] = false };
            var acked = new List<long>();
            acked.Add(await PutAsync(http, instances[0], $$"""{"mode": "canary", "canary_pct": 100, "kill_switch": false, "phase": "{{StartPhase}}", "reason": "fleet start"}"""));
            var load = new Load(http, instances, expected, o.Rate);
            var loadTask = load.RunAsync();
            var propagation = new List<double>();
            var fromSend = new List<double>();
            var notPropagated = 0;
            string? killed = null;
            await load.WaitSeenEverywhereAsync(StartPhase, o.FlipBound);
            for (var k = 1; k <= o.Flips; k++)
            {
                var live = instances.Where(i => !i.Killed).ToList();
                var target = live[rng.Next(live.Count)];
                var phase = $"flip-{k}";
                var kill = k % 2 == 1;
                expected[phase] = kill;
                var sent = Stopwatch.GetTimestamp();
                acked.Add(await PutAsync(http, target, $$"""{"kill_switch": {{(kill ? "true" : "false")}}, "phase": "{{phase}}", "reason": "fleet flip {{k}}"}"""));
                var ack = Stopwatch.GetTimestamp();
                var seenAt = await load.WaitSeenEverywhereAsync(phase, o.FlipBound);
                if (seenAt is null)
                {
                    notPropagated++;
                    errors.Enqueue($"{phase} (made on {target.Name}) did not reach every live instance within {o.FlipBound.TotalSeconds:0} s");
                }
                else
                {
                    propagation.Add(Math.Max(0, Stopwatch.GetElapsedTime(ack, seenAt.Value).TotalMilliseconds));
                    fromSend.Add(Math.Max(0, Stopwatch.GetElapsedTime(sent, seenAt.Value).TotalMilliseconds));
                }
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"fleet: {phase} kill_switch={kill} on {target.Name}: ack {Stopwatch.GetElapsedTime(sent, ack).TotalMilliseconds:0.0} ms, everywhere {(seenAt is null ? "never" : $"{propagation[^1]:0.0} ms after ack")}"));
                if (k == o.KillAfterFlip && live.Count > 1)
                {
                    var victim = live[rng.Next(live.Count)];
                    victim.Kill();
                    killed = victim.Name;
                    log.WriteLine($"fleet: SIGKILLed {victim.Name}");
                }
            }
            var stats = await load.StopAsync(loadTask);
            log.WriteLine($"fleet: {load.WarmUp} decisions answered from the initial settings before {StartPhase} reached their instance (not counted)");
            var survivor = instances.First(i => !i.Killed);
            var history = await HistoryVersionsAsync(http, survivor);
            var missing = acked.Where(v => !history.Contains(v)).ToList();
            foreach (var e in load.Errors)
            {
                errors.Enqueue(e);
            }
            return new FleetRunResult(propagation, fromSend, notPropagated, stats.Decisions, stats.Failed, stats.Torn, stats.Rate, acked, missing, killed, errors.ToList());
        }
        finally
        {
            foreach (var i in instances)
            {
                i.Kill();
            }
        }
    }

    private static async Task<long> PutAsync(HttpClient http, Instance instance, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PutAsync(instance.Url + "/guard/config", content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT /guard/config on {instance.Name}: {(int)response.StatusCode} {text}");
        }
        return JsonNode.Parse(text)!["settings"]!["version"]!.GetValue<long>();
    }

    private static async Task<HashSet<long>> HistoryVersionsAsync(HttpClient http, Instance instance)
    {
        var text = await http.GetStringAsync(instance.Url + "/guard/history?limit=10000");
        return JsonNode.Parse(text)!["changes"]!.AsArray().Select(c => c!["version"]!.GetValue<long>()).ToHashSet();
    }

    /// <summary>One <c>canarysim serve</c> child process.</summary>
    private sealed class Instance
    {
        private readonly Process _process;

        private Instance(string name, Process process, string url)
        {
            Name = name;
            _process = process;
            Url = url;
        }

        public string Name { get; }

        public string Url { get; }

        public bool Killed { get; private set; }

        public static async Task<Instance> StartAsync(FleetRunOptions o, string name)
        {
            var info = new ProcessStartInfo("timeout") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            var args = new List<string> { "-s", "KILL", "900", DotnetHost(), o.Cli, "serve", "--urls", "http://127.0.0.1:0", "--instance-name", name, "--evaluation-interval", "0", "--json" };
            args.AddRange(o.Store is not null ? ["--store", o.Store] : ["--db", o.SqliteFile!]);
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }
            info.Environment["CANARYSIM_OPS_TOKEN"] = Token;
            info.Environment["Logging__LogLevel__Default"] = "Warning";
            var process = Process.Start(info) ?? throw new InvalidOperationException("could not start canarysim serve");
            var stderr = new StringBuilder();
            process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
            process.BeginErrorReadLine();
            string? line;
            try
            {
                line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(90));
            }
            catch (TimeoutException)
            {
                line = null;
            }
            if (line is null || !line.TrimStart().StartsWith('{'))
            {
                process.Kill(entireProcessTree: true);
                lock (stderr)
                {
                    throw new InvalidOperationException($"{name} did not start: {line}\n{stderr}");
                }
            }
            var url = JsonNode.Parse(line)!["urls"]!.AsArray()[0]!.GetValue<string>();
            _ = process.StandardOutput.ReadToEndAsync(); // keep draining
            return new Instance(name, process, url);
        }

        /// <summary>SIGKILL (the process and its timeout wrapper): no shutdown code runs.</summary>
        public void Kill()
        {
            Killed = true;
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(TimeSpan.FromSeconds(10));
                }
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }

        private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    /// <summary>Open-loop routing load over the live instances, checking every decision.</summary>
    private sealed class Load(HttpClient http, List<Instance> instances, ConcurrentDictionary<string, bool> expected, double rate)
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentDictionary<(string Instance, string Phase), long> _firstSeen = new();
        private readonly SemaphoreSlim _seen = new(0);
        private readonly ConcurrentQueue<string> _errors = new();
        private long _decisions;
        private long _failed;
        private long _torn;
        private long _warmUp;

        public IEnumerable<string> Errors => _errors.Take(20);

        /// <summary>Decisions answered from the store's initial settings before the start phase reached their instance.</summary>
        public long WarmUp => Interlocked.Read(ref _warmUp);

        public async Task<(long Decisions, long Failed, long Torn, double Rate)> RunAsync()
        {
            var clock = Stopwatch.StartNew();
            var gate = new SemaphoreSlim(128);
            var pending = new List<Task>();
            long sent = 0;
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(2));
            while (!_stop.IsCancellationRequested)
            {
                var due = (long)(clock.Elapsed.TotalSeconds * rate);
                while (sent < due && !_stop.IsCancellationRequested)
                {
                    var live = instances.Where(i => !i.Killed).ToList();
                    var target = live[(int)(sent % live.Count)];
                    await gate.WaitAsync();
                    pending.Add(OneAsync(target, sent++, gate));
                }
                pending.RemoveAll(t => t.IsCompleted);
                try
                {
                    await tick.WaitForNextTickAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
            await Task.WhenAll(pending);
            var decisions = Interlocked.Read(ref _decisions);
            return (decisions, Interlocked.Read(ref _failed), Interlocked.Read(ref _torn), decisions / clock.Elapsed.TotalSeconds);
        }

        public async Task<(long Decisions, long Failed, long Torn, double Rate)> StopAsync(Task<(long, long, long, double)> running)
        {
            await _stop.CancelAsync();
            return await running;
        }

        /// <summary>Waits (bounded) until every live instance has answered a decision made on <paramref name="phase"/>; the timestamp when the last one did, or null.</summary>
        public async Task<long?> WaitSeenEverywhereAsync(string phase, TimeSpan bound)
        {
            var waited = Stopwatch.StartNew();
            while (true)
            {
                var live = instances.Where(i => !i.Killed).ToList();
                var seen = live.Select(i => _firstSeen.TryGetValue((i.Name, phase), out var at) ? at : (long?)null).ToList();
                if (seen.All(s => s is not null))
                {
                    return seen.Max();
                }
                var left = bound - waited.Elapsed;
                if (left <= TimeSpan.Zero || !await _seen.WaitAsync(left))
                {
                    return null;
                }
            }
        }

        /// <summary>Whether <paramref name="instance"/> had answered a decision made on <paramref name="phase"/> before <paramref name="timestamp"/>.</summary>
        private bool AnsweredBefore(Instance instance, string phase, long timestamp) =>
            _firstSeen.TryGetValue((instance.Name, phase), out var at) && at < timestamp;

        private async Task OneAsync(Instance target, long i, SemaphoreSlim gate)
        {
            var sentAt = Stopwatch.GetTimestamp();
            try
            {
                using var content = new StringContent($"{{\"session_id\":\"s-{i % 10_000}\"}}", Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(target.Url + "/guard/route", content);
                var body = await response.Content.ReadAsStringAsync();
                var at = Stopwatch.GetTimestamp();
                if (!response.IsSuccessStatusCode)
                {
                    if (!target.Killed)
                    {
                        Interlocked.Increment(ref _failed);
                        _errors.Enqueue($"route on {target.Name}: {(int)response.StatusCode} {body}");
                    }
                    return;
                }
                var d = JsonNode.Parse(body)!;
                var phase = d["phase"]!.GetValue<string>();
                if (phase.Length == 0 && !AnsweredBefore(target, StartPhase, sentAt))
                {
                    // The store's initial settings: flip-0 had not reached this instance (another instance took
                    // the PUT; this one sees it at its next poll). Once it has answered a flip-0 decision, a
                    // later request answered from the initial settings again is torn.
                    Interlocked.Increment(ref _warmUp);
                    return;
                }
                Interlocked.Increment(ref _decisions);
                var kill = d["kill_switch"]!.GetValue<bool>();
                var v2 = d["selected"]!.GetValue<string>() == "v2";
                if (!expected.TryGetValue(phase, out var expectedKill) || kill != expectedKill || kill == v2)
                {
                    Interlocked.Increment(ref _torn);
                    _errors.Enqueue($"torn decision on {target.Name}: {body}");
                }
                if (_firstSeen.TryAdd((target.Name, phase), at))
                {
                    _seen.Release();
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                if (!target.Killed)
                {
                    Interlocked.Increment(ref _failed);
                    _errors.Enqueue($"route on {target.Name}: {ex.Message}");
                }
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
