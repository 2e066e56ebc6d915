using System.Diagnostics;
using Microsoft.Extensions.Configuration.Memory;

namespace CanarySim.Service;

/// <summary>
/// Request logging that cannot leak a token: one line per request with method, path (never the query
/// string, which may carry <c>?access_token=…</c>), status and time, under <see cref="Category"/>. By
/// default only Warning and above are written (a failing request is an Error), so a busy service does
/// not fill its log; <c>Logging:LogLevel:CanarySim.Service.Requests=Information</c> turns the lines on.
/// ASP.NET Core's own request lines (which include query strings) are held at Warning whatever the configuration.
/// </summary>
internal static class RequestLog
{
    public const string Category = "CanarySim.Service.Requests";

    /// <summary>Quiet defaults (overridable by configuration) and the hosting request lines pinned off.</summary>
    public static void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                [$"Logging:LogLevel:{Category}"] = "Warning",
            },
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
    }

    public static void Use(WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var status = context.Response.StatusCode;
                var level = status >= 500 ? LogLevel.Error : LogLevel.Information;
                if (log.IsEnabled(level))
                {
                    log.Log(level, "{Method} {Path} answered {Status} in {ElapsedMs:0.0} ms",
                        context.Request.Method, context.Request.Path.Value, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        });
    }
}
