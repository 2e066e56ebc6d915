using CanarySim.Core.Audit;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using CanarySim.Harness.Engines;
using CanarySim.Harness.Fakes;
using CanarySim.Harness.Traffic;
using CanarySim.Harness.WireMock;
using Microsoft.Extensions.Time.Testing;

namespace CanarySim.Harness.Scenarios;

/// <summary>
/// The world of one feature scenario: everything it works with, fresh per scenario (step bindings receive it by
/// constructor injection): virtual time, the live router settings and their store (with failure
/// injection), the audit log, the metrics store, the two engines (in-process fakes, or real
/// <see cref="HttpEngine"/>s against a WireMock server of its own after <see cref="UseWireMockAsync"/>),
/// a seeded sample generator and seeded synthetic traffic.
/// </summary>
public sealed class ScenarioWorld : IAsyncDisposable
{
    /// <summary>The seed used when a scenario does not name one: 42.</summary>
    public const int DefaultSeed = 42;

    private SampleGenerator? _samples;

    /// <summary>Where every scenario's clock starts: 2026-02-19T10:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 2, 19, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Creates a fresh scenario world (fake clock at <see cref="DefaultStart"/>).</summary>
    public ScenarioWorld()
    {
        Time = new FakeTimeProvider(DefaultStart);
        Settings = new LiveSettings();
        SettingsStore = new FaultInjectingSettingsStore();
        Audit = new InMemoryAuditLog();
        FakeMetrics = FakeMetricsStore.Empty(Time);
        Metrics = FakeMetrics;
        Timeline = new MetricsTimeline(FakeMetrics, Time);
        V1 = new FakeEngine(Engine.V1, "inbox_triage", "classify", "label", "archive");
        V2 = new FakeEngine(Engine.V2, "inbox_triage", "classify", "label", "archive");
    }

    /// <summary>The fake clock every component of the scenario reads: it moves only when a step advances it.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The router's live settings (the snapshot the router reads and rollback writes).</summary>
    public LiveSettings Settings { get; }

    /// <summary>The settings history store; make its writes fail with <see cref="FaultInjectingSettingsStore.FailNextWrites"/>.</summary>
    public FaultInjectingSettingsStore SettingsStore { get; }

    /// <summary>The audit log.</summary>
    public InMemoryAuditLog Audit { get; }

    /// <summary>The fake metrics source scenarios fill with exact numbers (the default <see cref="Metrics"/>).</summary>
    public FakeMetricsStore FakeMetrics { get; }

    /// <summary>Plays v1/v2 traffic into <see cref="FakeMetrics"/> over virtual time, evaluating after each step.</summary>
    public MetricsTimeline Timeline { get; }

    /// <summary>Where the detector reads samples from. The default value is <see cref="FakeMetrics"/>; replace it before the detector is created.</summary>
    public IMetricsStore Metrics { get; set; }

    /// <summary>The v1 engine.</summary>
    public IEngine V1 { get; set; }

    /// <summary>The v2 engine.</summary>
    public IEngine V2 { get; set; }

    /// <summary>The WireMock server, once <see cref="UseWireMockAsync"/> ran.</summary>
    public WireMockServer? WireMock { get; private set; }

    /// <summary>The seed for samples and traffic. The default value is <see cref="DefaultSeed"/>; set it before first use.</summary>
    public int Seed { get; set; } = DefaultSeed;

    /// <summary>The seeded sample generator (created on first use from <see cref="Seed"/>).</summary>
    public SampleGenerator Samples => _samples ??= new SampleGenerator(Seed);

    /// <summary>Seeded synthetic traffic with <paramref name="profile"/>.</summary>
    public SyntheticTraffic Traffic(TrafficProfile? profile = null) => Harness.Traffic.Traffic.Synthetic(Seed, profile);

    /// <summary>
    /// Points both engines at a WireMock server this scenario has to itself until it is disposed (rented from the process's
    /// servers, reset here): <c>POST {base}/v1/{kind}</c> and <c>/v2/{kind}</c>, e.g. <c>plan</c> or <c>conversation/next</c>.
    /// </summary>
    public async Task<WireMockServer> UseWireMockAsync(string kind = "plan", TimeSpan? engineTimeout = null, CancellationToken cancellationToken = default)
    {
        var server = WireMock ?? WireMockServer.Rent();
        WireMock = server;
        await server.Admin.ResetAsync(cancellationToken).ConfigureAwait(false);
        var options = new HttpEngineOptions { Timeout = engineTimeout ?? new HttpEngineOptions().Timeout };
        var http = EngineClient(server);
        V1 = new HttpEngine(Engine.V1, http, options with { Path = $"/v1/{kind}" });
        V2 = new HttpEngine(Engine.V2, http, options with { Path = $"/v2/{kind}" });
        return server;
    }

    /// <summary>Loads WireMock mappings from a path under <c>fixtures/wiremock/</c> (a file or folder); returns how many.</summary>
    /// <exception cref="InvalidOperationException">When <see cref="UseWireMockAsync"/> has not run.</exception>
    public Task<int> LoadStubsAsync(string relativePath, CancellationToken cancellationToken = default)
    {
        var server = WireMock ?? throw new InvalidOperationException("Call UseWireMockAsync before loading stubs.");
        return server.Admin.LoadMappingsAsync(RepoPaths.Fixture("wiremock", relativePath), cancellationToken);
    }

    /// <summary>Clears this scenario's stubs and gives its WireMock server back for the next scenario (servers stop at process exit).</summary>
    public async ValueTask DisposeAsync()
    {
        if (WireMock is { IsRunning: true } server)
        {
            WireMock = null;
            await server.Admin.ResetAsync().ConfigureAwait(false);
            WireMockServer.Return(server);
        }
    }

    // one HttpClient per server for all scenarios: sockets are reused, never exhausted
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<WireMockServer, HttpClient> Clients = new();

    private static HttpClient EngineClient(WireMockServer server) =>
        Clients.GetValue(server, s => s.CreateClient(TimeSpan.FromSeconds(30)));
}
