using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CanarySim.Service.Tests.Hosting;

/// <summary>
/// Item 8: every request was logged at Information with its query string, so ?access_token=&lt;token&gt; put the
/// ops token in the log. Request lines are off by default and never carry a query string.
/// </summary>
[TestFixture]
public sealed class RequestLogTests
{
    private static async Task<IReadOnlyList<(string Category, LogLevel Level, string Message)>> LogOfRequestsAsync(Action<IDictionary<string, string?>> settings)
    {
        var log = new CapturedLog();
        using (var host = new GuardHost(settings, logging: log))
        {
            for (var i = 0; i < 20; i++)
            {
                await host.Client.GetAsync($"/guard/health?access_token={GuardHost.Token}");
                await host.Client.PostAsync($"/guard/route?access_token={GuardHost.Token}&x={i}", GuardHost.Json("""{"session_id":"s"}"""));
            }
            await host.Authorized.PostAsync($"/guard/route?access_token={GuardHost.Token}", GuardHost.Json("""{"session_id":"s"}"""));
        }
        return log.Entries.ToList();
    }

    [Test]
    public async Task By_default_no_request_is_logged_and_no_token_appears()
    {
        var entries = await LogOfRequestsAsync(_ => { });

        Assert.That(entries.Where(e => e.Message.Contains(GuardHost.Token, StringComparison.Ordinal)), Is.Empty);
        Assert.That(entries.Where(e => e.Category.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal) && e.Level < LogLevel.Warning), Is.Empty);
        Assert.That(entries.Where(e => e.Category == "CanarySim.Service.Requests"), Is.Empty, "request lines are Information; the default level is Warning");
    }

    [Test]
    public async Task With_request_lines_turned_on_they_name_the_path_but_never_the_query_string()
    {
        var entries = await LogOfRequestsAsync(s =>
        {
            s["Logging:LogLevel:Default"] = "Information";
            s["Logging:LogLevel:Microsoft.AspNetCore"] = "Information";
            s["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information";
            s["Logging:LogLevel:CanarySim.Service.Requests"] = "Information";
        });

        var lines = entries.Where(e => e.Category == "CanarySim.Service.Requests").ToList();
        Assert.That(lines, Has.Count.EqualTo(41));
        Assert.That(lines.Select(l => l.Message), Has.Some.Contains("POST /guard/route answered 401"));
        Assert.That(entries.Where(e => e.Message.Contains(GuardHost.Token, StringComparison.Ordinal)).Select(e => e.Category), Is.Empty);
        Assert.That(entries.Where(e => e.Message.Contains("access_token", StringComparison.Ordinal)), Is.Empty);
    }

    /// <summary>Keeps every log entry written through the host's logger factory.</summary>
    public sealed class CapturedLog : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLog log, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                log.Entries.Enqueue((category, logLevel, formatter(state, exception) + (exception is null ? "" : " " + exception)));
        }
    }
}
