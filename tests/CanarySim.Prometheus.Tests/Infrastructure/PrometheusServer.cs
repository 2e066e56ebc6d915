using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace CanarySim.Prometheus.Tests.Infrastructure;

/// <summary>
/// A real Prometheus (Debian's <c>/usr/bin/prometheus</c>, which the build installs with promtool) started on a free
/// 127.0.0.1 port with a generated configuration — scrape every second, the given targets — and a temporary storage
/// folder; killed and its folder deleted on dispose. Waits poll the HTTP API against a deadline, never sleep blindly.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    public static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(100);

    // Even if the test process dies before disposing it, the server stops itself after this long (coreutils timeout).
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _log;
    private readonly HttpClient _http;

    private PrometheusServer(Process process, string directory, StringBuilder log, Uri url)
    {
        _process = process;
        _directory = directory;
        _log = log;
        Url = url;
        _http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The server, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    /// <summary>The prometheus executable, or a failed test saying how to install it (never a skip).</summary>
    public static string Executable()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Append("/usr/bin")
            .Select(d => Path.Combine(d, "prometheus"))
            .FirstOrDefault(File.Exists);
        if (path is null)
        {
            Assert.Fail("prometheus was not found on PATH. The real-Prometheus tests need Debian's 'prometheus' package " +
                        "(apt-get install -y prometheus; ./build.sh --target=Test installs it when run as root).");
        }
        return path!;
    }

    /// <summary>How many ports a start tries before it gives up (see <see cref="PortTakenException"/>).</summary>
    public const int PortAttempts = 3;

    /// <summary>
    /// Starts Prometheus scraping <c>/metrics</c> of each target (<c>host:port</c>) every second; returns once it is ready.
    /// A port taken between <see cref="FreePort"/> and Prometheus binding it (another process of the run got it) is
    /// retried on a new port.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(params string[] targets)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartAsync(FreePort(), targets);
            }
            catch (PortTakenException) when (attempt < PortAttempts)
            {
            }
        }
    }

    /// <summary>
    /// As <see cref="StartAsync(string[])"/>, on a port chosen beforehand (see <see cref="FreePort"/>), so a guard can be told
    /// the URL first. Throws <see cref="PortTakenException"/> when that port was taken meanwhile: choose another and retry.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(int port, params string[] targets)
    {
        var exe = Executable();
        var directory = Path.Combine(Path.GetTempPath(), "canarysim-prometheus-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: canarysim
                metrics_path: /metrics
                static_configs:
                  - targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]
            """);
        var watchdog = File.Exists("/usr/bin/timeout");
        var psi = new ProcessStartInfo(watchdog ? "/usr/bin/timeout" : exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (watchdog)
        {
            psi.ArgumentList.Add(((int)Lifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture));
            psi.ArgumentList.Add(exe);
        }
        foreach (var arg in new[]
        {
            $"--config.file={config}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            "--storage.tsdb.retention.time=1h",
            "--log.level=warn",
        })
        {
            psi.ArgumentList.Add(arg);
        }
        var log = new StringBuilder();
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, directory, log, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await server.WaitReadyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Runs an instant query and returns <c>data.result</c> (throws with Prometheus's error otherwise).</summary>
    public async Task<JsonElement> QueryAsync(string query)
    {
        var body = await _http.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(query));
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("data").GetProperty("result").Clone();
    }

    /// <summary>The single value of an instant query, or null while it has no series.</summary>
    public async Task<double?> ValueAsync(string query)
    {
        var result = await QueryAsync(query);
        if (result.ValueKind != JsonValueKind.Array || result.GetArrayLength() == 0)
        {
            return null;
        }
        Assert.That(result.GetArrayLength(), Is.EqualTo(1), $"{query} returned several series: {result}");
        var text = result[0].GetProperty("value")[1].GetString()!;
        return text == "+Inf" ? double.PositiveInfinity : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Polls <paramref name="query"/> until its value satisfies <paramref name="until"/> or the deadline passes (then fails the
    /// test). The default deadline is only a failure guard: the normal case takes one or two scrapes (1 s each), but a scrape
    /// that misses its 1 s timeout on a loaded machine is simply retried by Prometheus a second later.
    /// </summary>
    public async Task<double> WaitForAsync(string query, Func<double, bool> until, string what, TimeSpan? deadline = null)
    {
        var limit = deadline ?? TimeSpan.FromSeconds(60);
        var watch = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(PollPeriod);
        double? last = null;
        while (watch.Elapsed < limit)
        {
            last = await ValueAsync(query);
            if (last is { } v && until(v))
            {
                return v;
            }
            await timer.WaitForNextTickAsync();
        }
        Assert.Fail($"Prometheus did not show {what} within {limit.TotalSeconds} s (last value of {query}: {last?.ToString(CultureInfo.InvariantCulture) ?? "no series"}).\n{Log}");
        return double.NaN;
    }

    /// <summary>What Prometheus printed (warnings and errors).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temp folder.
        }
    }

    private async Task WaitReadyAsync()
    {
        var watch = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(PollPeriod);
        while (watch.Elapsed < ReadyDeadline)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(); // the log is complete
                if (Log.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    throw new PortTakenException($"port {Url.Port} was taken before prometheus could listen on it:\n{Log}");
                }
                Assert.Fail($"prometheus exited with code {_process.ExitCode} at start-up:\n{Log}");
            }
            try
            {
                using var response = await _http.GetAsync("-/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // The client's 10 s timeout: a start-up slowed down by a loaded machine; ask again until the deadline.
            }
            await timer.WaitForNextTickAsync();
        }
        Assert.Fail($"prometheus was not ready within {ReadyDeadline.TotalSeconds} s:\n{Log}");
    }

    /// <summary>
    /// A server address where nothing listens: port 1 needs root to bind and no service of this machine uses it, so a
    /// connection is refused at once. (A port that was free a moment ago may meanwhile be taken by a parallel test's server,
    /// which would answer instead of refusing.)
    /// </summary>
    public const string DownUrl = "http://127.0.0.1:1";

    /// <summary>A loopback port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            log.AppendLine(line);
        }
    }
}
