using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CanarySim.Service.Guard;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CanarySim.Service.Tests.Infrastructure;

/// <summary>
/// The real service (real router, detector, rollback controller, SQLite store in a temp folder)
/// hosted in process by <see cref="WebApplicationFactory{TEntryPoint}"/>, on a virtual clock.
/// </summary>
public sealed class GuardHost : IDisposable
{
    public const string Token = "test-ops-token-0123456789";
    public static readonly DateTimeOffset Start = new(2026, 2, 19, 10, 0, 0, TimeSpan.Zero);

    /// <summary>How long <see cref="Dispose"/> waits for the service's container to finish disposing (a failure guard only).</summary>
    private static readonly TimeSpan DisposeBound = TimeSpan.FromSeconds(60);

    private readonly WebApplicationFactory<Program> _factory;
    private readonly TaskCompletionSource _servicesDisposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GuardHost(Action<IDictionary<string, string?>>? settings = null, string? databasePath = null, ILoggerProvider? logging = null,
        Action<IServiceCollection>? services = null, ManualClock? clock = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "canarysim-service-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        DatabasePath = databasePath ?? Path.Combine(Directory, "guard.db");
        Clock = clock ?? new ManualClock(Start);
        var values = new Dictionary<string, string?>
        {
            ["Guard:DatabasePath"] = DatabasePath,
            ["Guard:OpsToken"] = Token,
            ["Guard:EvaluationInterval"] = "00:00:15",
        };
        settings?.Invoke(values);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            foreach (var (k, v) in values)
            {
                b.UseSetting(k, v);
            }
            b.ConfigureTestServices(s =>
            {
                // The clock comes with a marker the container creates just before it, so the marker is disposed after
                // every service that uses the clock (the runtime, the stores, their locks): see Dispose.
                s.AddSingleton(_ => new DisposalMarker(_servicesDisposed));
                s.AddSingleton<TimeProvider>(sp =>
                {
                    sp.GetRequiredService<DisposalMarker>();
                    return Clock;
                });
                services?.Invoke(s);
            });
            if (logging is not null)
            {
                b.ConfigureLogging(l => l.AddProvider(logging));
            }
        });
        Client = _factory.CreateClient();
        Authorized = _factory.CreateClient();
        Authorized.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public string Directory { get; }
    public string DatabasePath { get; }
    public ManualClock Clock { get; }
    public HttpClient Client { get; }
    public HttpClient Authorized { get; }
    public IServiceProvider Services => _factory.Services;
    public GuardRuntime Runtime => Services.GetRequiredService<GuardRuntime>();

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>The full status, as a token holder sees it.</summary>
    public async Task<JsonObject> StatusAsync() => await StatusAsync(Authorized);

    /// <summary>The redacted status anyone may read.</summary>
    public async Task<JsonObject> PublicStatusAsync() => await StatusAsync(Client);

    private static Task<JsonObject> StatusAsync(HttpClient client) => GuardCalls.Body(client.GetAsync("/guard/status"));

    public async Task<HttpResponseMessage> PutConfigAsync(string json) => await Authorized.PutAsync("/guard/config", Json(json));

    public Task PostSamplesAsync(IEnumerable<object> samples) => GuardCalls.Ok(Authorized.PostAsync("/guard/samples", Json(JsonSerializer.Serialize(samples))));

    /// <summary>n v1 and n v2 samples; v2 with the given quality and latency, v1 healthy.</summary>
    public static IEnumerable<object> Samples(int n, double v2Quality = 94, double v2LatencyMs = 900, double v2Cost = 1.5)
    {
        for (var i = 0; i < n; i++)
        {
            yield return new { engine = "v1", latency_ms = 800 + i % 7, quality = 95.0, cost_cents = 1.4 };
            yield return new { engine = "v2", latency_ms = v2LatencyMs + i % 5, quality = v2Quality, cost_cents = v2Cost };
        }
    }

    /// <summary>
    /// Stops the service and returns once its services are disposed, so what they held (the evaluator and plan-driver
    /// locks, the SQLite file) is released, as when a process ends. WebApplicationFactory's Dispose alone does not
    /// promise that: the service's own entry point (<c>app.Run</c>) disposes the host on its thread once stopped, and
    /// the factory can return while that is still going on (seen: another instance then failed to take the lock).
    /// </summary>
    public void Dispose()
    {
        Client.Dispose();
        Authorized.Dispose();
        _factory.Dispose();
        if (!_servicesDisposed.Task.Wait(DisposeBound))
        {
            throw new TimeoutException($"the guard service's services were not disposed within {DisposeBound.TotalSeconds:0} s of stopping it");
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finalizer-bound handle: the temp folder is cleaned by the OS.
        }
    }

    /// <summary>Completes <see cref="_servicesDisposed"/> when the container disposes it.</summary>
    private sealed class DisposalMarker(TaskCompletionSource disposed) : IDisposable
    {
        public void Dispose() => disposed.TrySetResult();
    }
}
