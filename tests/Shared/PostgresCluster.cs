using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CanarySim.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests of one process: <c>initdb</c> into a temp directory,
/// <c>pg_ctl -w start</c> on 127.0.0.1 and a free port, stopped and removed by <see cref="Dispose"/>.
/// PostgreSQL refuses to run as root, so as root every server command runs as the <c>postgres</c>
/// system user (created by Debian's package) through <c>runuser</c>. A watchdog process stops the
/// cluster and removes its directory when the test process ends, however it ends, so no server
/// outlives its tests. One cluster serves the whole test run; each test takes its own database
/// (<see cref="CreateDatabase"/>).
/// </summary>
internal sealed class PostgresCluster : IDisposable
{
    private const string SuperUser = "canarysim";
    private const string NotInstalled =
        "PostgreSQL is not installed: no initdb/pg_ctl under /usr/lib/postgresql/*/bin or on PATH (Debian: apt-get install postgresql; ./build.sh --target=Test installs it when run as root)";
    private static readonly Lock SharedGate = new();
    private static PostgresCluster? _shared;
    private static string? _unavailable;
    private readonly string _bin;
    private readonly string _data;
    private readonly bool _asPostgresUser;
    private int _databases;
    private bool _disposed;

    private PostgresCluster(string bin, string root, int port, bool asPostgresUser, TimeSpan startTime)
    {
        _bin = bin;
        Root = root;
        _data = Path.Combine(root, "data");
        Port = port;
        _asPostgresUser = asPostgresUser;
        StartTime = startTime;
    }

    /// <summary>The directory holding the cluster's data, socket and log.</summary>
    public string Root { get; }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>How long initdb + start took.</summary>
    public TimeSpan StartTime { get; }

    /// <summary>The server's log file (for failure messages).</summary>
    public string LogFile => Path.Combine(Root, "server.log");

    /// <summary>Connection string of the cluster's <c>postgres</c> database as the superuser.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    /// <summary>
    /// The cluster of this test process, started on first use. Throws <see cref="InvalidOperationException"/>
    /// naming what is missing when PostgreSQL is not installed or does not start (every later call throws the same).
    /// </summary>
    public static PostgresCluster Shared
    {
        get
        {
            lock (SharedGate)
            {
                if (_shared is not null)
                {
                    return _shared;
                }
                if (_unavailable is not null)
                {
                    throw new InvalidOperationException(_unavailable);
                }
                try
                {
                    _shared = Start();
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => _shared?.Dispose();
                    return _shared;
                }
                catch (Exception ex)
                {
                    _unavailable = ex.Message;
                    throw new InvalidOperationException(_unavailable, ex);
                }
            }
        }
    }

    /// <summary>Why no cluster can be started here (PostgreSQL is not installed), or null when it is installed.</summary>
    public static string? NotInstalledReason => FindBinaries() is null ? NotInstalled : null;

    /// <summary>Stops the shared cluster if one was started (from a test assembly's one-time teardown).</summary>
    public static void StopShared()
    {
        lock (SharedGate)
        {
            _shared?.Dispose();
            _shared = null;
        }
    }

    /// <summary>Where initdb and pg_ctl are: <c>CANARYSIM_PG_BIN</c>, Debian's newest <c>/usr/lib/postgresql/N/bin</c>, or PATH; null when none.</summary>
    public static string? FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("CANARYSIM_PG_BIN") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var newest = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: d, Major: int.TryParse(Path.GetFileName(d), NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) ? m : -1))
                .Where(d => d.Major > 0 && File.Exists(Path.Combine(d.Dir, "bin", "pg_ctl")))
                .OrderByDescending(d => d.Major)
                .Select(d => Path.Combine(d.Dir, "bin"))
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "pg_ctl")) && File.Exists(Path.Combine(d, "initdb")));
    }

    /// <summary>Connection string of <paramref name="database"/> as the superuser over TCP on 127.0.0.1.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username={SuperUser};Database={database};Timeout=15;Command Timeout=30";

    /// <summary>Creates a new empty database (from template0) and returns its connection string.</summary>
    public string CreateDatabase(string prefix = "t")
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var name = $"{prefix}_{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}_{Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture)}";
        Execute("postgres", $"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8';");
        return ConnectionString(name);
    }

    /// <summary>Runs SQL on <paramref name="database"/> as the superuser (for setting up foreign or damaged schemas).</summary>
    public void Execute(string database, string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>Stops the server at once (immediate shutdown, as a crash would) and removes the directory.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Run(Path.Combine(_bin, "pg_ctl"), ["-D", _data, "-m", "immediate", "-w", "-t", "30", "stop"], _asPostgresUser);
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // the watchdog removes it when this process ends
        }
    }

    private static PostgresCluster Start()
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(NotInstalled);
        var asPostgresUser = Environment.UserName == "root";
        var started = Stopwatch.StartNew();
        // as root the server runs as 'postgres', which must reach the directory: /tmp rather than a TMPDIR under /root
        var temp = asPostgresUser && Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath();
        var root = Path.Combine(temp, $"canarysim-pg-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}"[..48]);
        Directory.CreateDirectory(root);
        if (asPostgresUser)
        {
            var (chown, chownOutput) = Run("chown", ["postgres:postgres", root], asPostgresUser: false);
            if (chown != 0)
            {
                throw new InvalidOperationException($"chown postgres {root} failed ({chownOutput}); running as root needs the 'postgres' system user that Debian's postgresql package creates");
            }
        }
        StartWatchdog(bin, root, asPostgresUser);
        var data = Path.Combine(root, "data");
        var (initCode, initOutput) = Run(Path.Combine(bin, "initdb"),
            ["-D", data, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"], asPostgresUser);
        if (initCode != 0)
        {
            throw new InvalidOperationException($"initdb into {data} exited {initCode}: {initOutput}");
        }
        string? lastError = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            // fsync off and no full-page writes: a throwaway cluster trades durability for speed
            var serverOptions = $"-c listen_addresses=127.0.0.1 -p {port.ToString(CultureInfo.InvariantCulture)} -k {root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
            var (code, output) = Run(Path.Combine(bin, "pg_ctl"),
                ["-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-o", serverOptions, "start"], asPostgresUser);
            if (code == 0)
            {
                return new PostgresCluster(bin, root, port, asPostgresUser, started.Elapsed);
            }
            var log = File.Exists(Path.Combine(root, "server.log")) ? File.ReadAllText(Path.Combine(root, "server.log")) : "";
            lastError = $"pg_ctl start on port {port} exited {code}: {output}\n{log}";
        }
        throw new InvalidOperationException(lastError);
    }

    /// <summary>
    /// A detached shell that waits for this process to end (by any means, SIGKILL included), then stops the
    /// cluster and removes its directory. Capped at 30 minutes so it cannot linger.
    /// </summary>
    private static void StartWatchdog(string bin, string root, bool asPostgresUser)
    {
        var pgCtl = $"'{Path.Combine(bin, "pg_ctl")}' -D '{Path.Combine(root, "data")}' -m immediate -w -t 30 stop";
        var stop = asPostgresUser ? $"'{RunUser}' -u postgres -- {pgCtl}" : pgCtl;
        var script = $"exec </dev/null >/dev/null 2>&1; timeout 30m tail --pid={Environment.ProcessId.ToString(CultureInfo.InvariantCulture)} -f /dev/null; {stop}; rm -rf '{root}'";
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "sh", "-c", script })
        {
            info.ArgumentList.Add(arg);
        }
        using var watchdog = Process.Start(info) ?? throw new InvalidOperationException("could not start the cluster watchdog (setsid sh)");
    }

    // util-linux's runuser lives in /usr/sbin (or /sbin), which a non-login PATH may lack
    private static string RunUser =>
        new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser" }.FirstOrDefault(File.Exists) ?? "runuser";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static (int Code, string Output) Run(string file, IReadOnlyList<string> args, bool asPostgresUser)
    {
        var info = new ProcessStartInfo(asPostgresUser ? RunUser : file)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgresUser)
        {
            foreach (var arg in new[] { "-u", "postgres", "--", file })
            {
                info.ArgumentList.Add(arg);
            }
        }
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{file} did not finish within 2 minutes");
        }
        return (process.ExitCode, stdout + stderr.GetAwaiter().GetResult());
    }
}
