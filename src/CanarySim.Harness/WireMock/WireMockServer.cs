using System.Collections.Concurrent;
using HandlebarsDotNet.Helpers.Enums;
using WireMock.Logging;
using WireMock.Settings;
using NetWireMockServer = WireMock.Server.WireMockServer;

namespace CanarySim.Harness.WireMock;

/// <summary>
/// A WireMock.Net server running inside this process on 127.0.0.1 on a free port (the operating system
/// picks it when binding). <see cref="SharedAsync"/> gives one lazily started server per process (call
/// <see cref="WireMockAdmin.ResetAsync"/> between its users); <see cref="Rent"/> gives a server to one user at a time, so
/// scenarios running in parallel never see each other's stubs or journal. A server stops on <see cref="Dispose"/>
/// and when the process exits. Nothing needs installing: WireMock.Net is a NuGet package.
/// </summary>
public sealed class WireMockServer : IAsyncDisposable, IDisposable
{
    private static readonly Lazy<WireMockServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    // servers given back by their last renter, ready for the next one
    private static readonly ConcurrentBag<WireMockServer> Idle = [];

    private readonly NetWireMockServer _server;
    private int _disposed;

    private WireMockServer(NetWireMockServer server, InFlightRequests inFlight, bool handlebarsTemplates)
    {
        _server = server;
        Port = server.Port;
        BaseUrl = new Uri($"http://127.0.0.1:{Port}/");
        Admin = new WireMockAdmin(server, BaseUrl, inFlight, handlebarsTemplates);
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>The port it listens on (127.0.0.1 only).</summary>
    public int Port { get; }

    /// <summary>Root URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Stubs, mapping files, reset, the request journal and scenario states.</summary>
    public WireMockAdmin Admin { get; }

    /// <summary>Whether the server is still listening.</summary>
    public bool IsRunning => Volatile.Read(ref _disposed) == 0 && _server.IsStarted;

    /// <summary>The one server of this process, started on first use (a failed start is reported to every caller).</summary>
    public static Task<WireMockServer> SharedAsync()
    {
        try
        {
            return Task.FromResult(Shared.Value);
        }
        catch (WireMockSetupException e)
        {
            return Task.FromException<WireMockServer>(e);
        }
    }

    /// <summary>
    /// A server for the caller alone until it hands it back with <see cref="Return"/>: an idle one, or a newly started one
    /// when every server is rented (so there are never more servers than users at once). Its stubs, journal and scenario
    /// states are as the last renter left them: reset it before use.
    /// </summary>
    /// <exception cref="WireMockSetupException">A new server was needed and did not start.</exception>
    public static WireMockServer Rent()
    {
        while (Idle.TryTake(out var idle))
        {
            if (idle.IsRunning)
            {
                return idle;
            }
        }
        return Start();
    }

    /// <summary>Gives a server from <see cref="Rent"/> back for the next renter (a stopped one is dropped).</summary>
    public static void Return(WireMockServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.IsRunning)
        {
            Idle.Add(server);
        }
    }

    /// <summary>Starts a new server on a free loopback port and waits until it has answered one request (its first answer also warms it up).</summary>
    /// <exception cref="WireMockSetupException">The server did not start; the message says why.</exception>
    public static WireMockServer Start() => Start(handlebarsTemplates: false);

    /// <summary>
    /// As <see cref="Start()"/>; with <paramref name="handlebarsTemplates"/> templated answers are rendered by WireMock.Net's
    /// own Handlebars transformer instead of <see cref="JsonPathAnswer"/> (slow; for showing that both answer alike).
    /// </summary>
    internal static WireMockServer Start(bool handlebarsTemplates)
    {
        var inFlight = new InFlightRequests(TimeProvider.System);
        var settings = new WireMockServerSettings
        {
            Urls = ["http://127.0.0.1:0"],
            StartAdminInterface = false,
            // the stubs' JsonPartialMatchers read the request body WireMock.Net parsed once per request
            DisableJsonBodyParsing = false,
            // WireMock.Net builds a Handlebars environment for every templated answer, registering each allowed helper
            // category: the one helper the stubs may use (see MappingRules) keeps that cheap
            HandlebarsSettings = new HandlebarsSettings { AllowedHandlebarsHelpers = [Category.JsonPath] },
            Logger = new WireMockNullLogger(),
            PreWireMockMiddlewareInit = app =>
            {
                inFlight.Install(app);
                FaultMiddleware.Install(app);
            },
        };
        NetWireMockServer server;
        try
        {
            server = NetWireMockServer.Start(settings);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new WireMockSetupException($"WireMock.Net did not start on 127.0.0.1: {e.Message}", e);
        }
        var started = new WireMockServer(server, inFlight, handlebarsTemplates);
        try
        {
            using var http = started.CreateClient(TimeSpan.FromSeconds(60));
            using var answer = http.GetAsync("__canarysim/ready").GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            started.Dispose();
            throw new WireMockSetupException($"WireMock.Net started on {started.BaseUrl} but did not answer: {e.Message}", e);
        }
        started.Admin.ResetRequestsAsync().GetAwaiter().GetResult();
        return started;
    }

    /// <summary>An <see cref="HttpClient"/> for calling stubs, based at <see cref="BaseUrl"/>.</summary>
    public HttpClient CreateClient(TimeSpan? timeout = null) =>
        new() { BaseAddress = BaseUrl, Timeout = timeout ?? TimeSpan.FromSeconds(30) };

    /// <summary>Stops the server.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        _server.Stop();
        _server.Dispose();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    /// <inheritdoc />
    public override string ToString() => $"WireMock.Net at {BaseUrl}";
}
