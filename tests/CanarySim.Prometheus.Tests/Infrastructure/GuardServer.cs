using System.Net.Http.Headers;
using System.Text;
using CanarySim.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CanarySim.Prometheus.Tests.Infrastructure;

/// <summary>
/// The real guard service (real router, detector and SQLite store in a temp folder) on Kestrel at 127.0.0.1 and a
/// free port, so a real Prometheus can scrape its <c>/metrics</c>. Stopped and its folder deleted on dispose.
/// </summary>
internal sealed class GuardServer : IAsyncDisposable
{
    public const string Token = "prometheus-tests-ops-token-0123456789";

    private readonly WebApplication _app;
    private readonly string _directory;

    private GuardServer(WebApplication app, string directory, Uri url)
    {
        _app = app;
        _directory = directory;
        Url = url;
        Client = new HttpClient { BaseAddress = url };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public Uri Url { get; }

    /// <summary><c>host:port</c>, as a scrape target.</summary>
    public string Target => $"{Url.Host}:{Url.Port}";

    /// <summary>A client carrying the ops token.</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<GuardServer> StartAsync(Action<GuardServiceOptions>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "canarysim-prometheus-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var options = new GuardServiceOptions
        {
            Urls = "http://127.0.0.1:0",
            DatabasePath = Path.Combine(directory, "guard.db"),
            OpsToken = Token,
            BackgroundEvaluation = false,
            // Evaluations happen only when a test asks: an evaluation on ingest could race Prometheus's next scrape.
            EvaluateOnIngest = false,
        };
        configure?.Invoke(options);
        var builder = GuardServiceHost.CreateBuilder([], options);
        builder.Logging.ClearProviders();
        var app = GuardServiceHost.Build(builder);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new GuardServer(app, directory, new Uri(address));
    }

    /// <summary>Posts samples (a JSON array in the sample format) and checks they were accepted.</summary>
    public async Task PostSamplesAsync(string jsonArray)
    {
        using var response = await Client.PostAsync("/guard/samples", new StringContent(jsonArray, Encoding.UTF8, "application/json"));
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temp folder.
        }
    }
}
