using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CanarySim.Harness.WireMock;

/// <summary>
/// The real WireMock server (the npm package's standalone jar on Java 17) running on 127.0.0.1 on a
/// free port. <see cref="SharedAsync"/> gives one lazily started server per test run; call
/// <see cref="WireMockAdminClient.ResetAsync"/> between scenarios. The process stops on
/// <see cref="DisposeAsync"/>, on process exit, and — through a small shell watchdog on Unix — when
/// the test host dies without cleaning up.
/// </summary>
public sealed class WireMockServer : IAsyncDisposable, IDisposable
{
    private static readonly Lazy<Task<WireMockServer>> Shared = new(() => StartAsync(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Process _process;
    private readonly string _rootDir;
    private readonly HttpClient _adminHttp;
    private readonly Queue<string> _log;
    private int _disposed;

    private WireMockServer(Process process, int port, string rootDir, Queue<string> log)
    {
        _process = process;
        _rootDir = rootDir;
        _log = log;
        Port = port;
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _adminHttp = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        Admin = new WireMockAdminClient(_adminHttp);
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>The port it listens on (127.0.0.1 only).</summary>
    public int Port { get; }

    /// <summary>Root URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The admin API client.</summary>
    public WireMockAdminClient Admin { get; }

    /// <summary>Whether the server process is still running.</summary>
    public bool IsRunning => Volatile.Read(ref _disposed) == 0 && !_process.HasExited;

    /// <summary>The last lines WireMock printed (for diagnostics).</summary>
    public string RecentOutput
    {
        get { lock (_log) { return string.Join('\n', _log); } }
    }

    /// <summary>The one server of this test run, started on first use (a failed start is reported to every caller).</summary>
    public static Task<WireMockServer> SharedAsync() => Shared.Value;

    /// <summary>Installs WireMock if needed and starts a new server on a free loopback port, waiting (bounded) until its admin API answers.</summary>
    /// <exception cref="WireMockSetupException">Java or npm is missing, or the server did not come up; the message says what to install or what WireMock printed.</exception>
    public static async Task<WireMockServer> StartAsync(WireMockServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new WireMockServerOptions();
        var java = WireMockInstaller.FindJava();
        var jar = await WireMockInstaller.EnsureJarAsync(options, cancellationToken).ConfigureAwait(false);
        const int attempts = 3; // a free port can be taken between probing and binding
        WireMockSetupException? last = null;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            try
            {
                return await StartOnceAsync(java, jar, options, cancellationToken).ConfigureAwait(false);
            }
            catch (WireMockSetupException e) when (attempt < attempts && e.Message.Contains("exited", StringComparison.Ordinal))
            {
                last = e;
            }
        }
        throw last ?? new WireMockSetupException("WireMock did not start.");
    }

    /// <summary>An <see cref="HttpClient"/> for calling stubs, based at <see cref="BaseUrl"/>.</summary>
    public HttpClient CreateClient(TimeSpan? timeout = null) =>
        new() { BaseAddress = BaseUrl, Timeout = timeout ?? TimeSpan.FromSeconds(30) };

    /// <summary>Stops the server and removes its temporary root folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var _ = await _adminHttp.PostAsync("__admin/shutdown", null, cts.Token).ConfigureAwait(false);
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            // fall through to the kill below
        }
        Kill();
        _adminHttp.Dispose();
        _process.Dispose();
        TryDeleteRoot();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Kill();
        _adminHttp.Dispose();
        _process.Dispose();
        TryDeleteRoot();
    }

    private static async Task<WireMockServer> StartOnceAsync(string java, string jar, WireMockServerOptions options, CancellationToken cancellationToken)
    {
        var port = FreeLoopbackPort();
        RemoveStaleRoots();
        var root = Directory.CreateTempSubdirectory($"canarysim-wiremock-{Environment.ProcessId}-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "mappings"));
        Directory.CreateDirectory(Path.Combine(root, "__files"));
        var javaArgs = new List<string>
        {
            $"-Xmx{options.MaxHeapMegabytes}m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-jar", jar,
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind-address", "127.0.0.1",
            "--disable-banner",
            "--root-dir", root,
            "--async-response-enabled", "true",
            "--disable-request-logging",
        };
        javaArgs.AddRange(options.ExtraArguments);

        ProcessStartInfo psi;
        var sh = OperatingSystem.IsWindows() ? null : WireMockInstaller.FindOnPath("sh");
        if (sh is not null)
        {
            // Watchdog: java dies with this process even if we are killed before cleaning up.
            var script = $"\"$0\" \"$@\" & child=$!; trap 'kill $child 2>/dev/null; exit 0' TERM INT; " +
                         $"while kill -0 {Environment.ProcessId} 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done; " +
                         "kill $child 2>/dev/null; wait $child";
            psi = new ProcessStartInfo(sh);
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(script);
            psi.ArgumentList.Add(java);
        }
        else
        {
            psi = new ProcessStartInfo(java);
        }
        foreach (var a in javaArgs)
        {
            psi.ArgumentList.Add(a);
        }
        psi.UseShellExecute = false;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = false;

        var log = new Queue<string>();
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (log)
            {
                log.Enqueue(line);
                while (log.Count > 60)
                {
                    log.Dequeue();
                }
            }
        }
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        if (!process.Start())
        {
            throw new WireMockSetupException($"Could not start '{psi.FileName}'.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new WireMockServer(process, port, root, log);
        var started = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                var output = server.RecentOutput;
                server.Dispose();
                throw new WireMockSetupException($"WireMock exited with code {process.ExitCode} before answering on port {port}. Its output:\n{output}");
            }
            if (await server.Admin.IsHealthyAsync(cancellationToken).ConfigureAwait(false))
            {
                return server;
            }
            if (started.Elapsed > options.StartupTimeout)
            {
                var output = server.RecentOutput;
                server.Dispose();
                throw new WireMockSetupException($"WireMock did not answer {server.BaseUrl}__admin/health within {options.StartupTimeout}. Its output:\n{output}");
            }
            // readiness poll with a bounded number of tries (StartupTimeout / interval)
            await Task.Delay(options.ReadinessPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    // root folders of servers whose test process is gone (a killed test host cannot clean up)
    private static void RemoveStaleRoots()
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), "canarysim-wiremock-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length < 4 || !int.TryParse(parts[2], out var pid) || pid == Environment.ProcessId || IsAlive(pid))
            {
                continue;
            }
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    private void TryDeleteRoot()
    {
        try
        {
            Directory.Delete(_rootDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <inheritdoc />
    public override string ToString() => new StringBuilder("WireMock at ").Append(BaseUrl).ToString();
}
