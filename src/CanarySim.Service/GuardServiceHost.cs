using CanarySim.Service.Api;
using CanarySim.Service.Auth;
using CanarySim.Service.Guard;
using CanarySim.Core.Rollout;
using CanarySim.Service.Metrics;
using CanarySim.Service.Rollout;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace CanarySim.Service;

/// <summary>
/// Builds and runs the guard API and dashboard. <see cref="CreateBuilder"/> and
/// <see cref="Build(WebApplicationBuilder)"/> are separate so tests and embedders can replace services (e.g. the
/// <see cref="TimeProvider"/>) or use a test server.
/// </summary>
public static class GuardServiceHost
{
    /// <summary>Creates the builder: options (seeded from <paramref name="options"/>, then the <c>Guard</c> configuration section), services, Kestrel URLs.</summary>
    /// <param name="args">Command-line arguments; <c>--db F</c>, <c>--ops-token-file F</c>, <c>--app-token-file F</c>, <c>--insecure-dev</c> and <c>--urls U</c> are understood.</param>
    /// <param name="options">Options to start from (the CLI passes its parsed options here).</param>
    public static WebApplicationBuilder CreateBuilder(string[] args, GuardServiceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = NormalizeArgs(args),
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        if (options is not null)
        {
            builder.WebHost.UseUrls(options.Urls);
        }
        else if (builder.Configuration[$"{GuardServiceOptions.SectionName}:{nameof(GuardServiceOptions.Urls)}"] is { } urls)
        {
            builder.WebHost.UseUrls(urls);
        }
        else if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(new GuardServiceOptions().Urls);
        }

        builder.Services.AddOptions<GuardServiceOptions>()
            .Configure(o => options?.CopyTo(o))
            .Bind(builder.Configuration.GetSection(GuardServiceOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<GuardServiceOptions>>().Value;
            var ops = AccessToken.Resolve(o, Environment.GetEnvironmentVariable);
            return new GuardAccess(ops, AccessToken.ResolveApp(o, Environment.GetEnvironmentVariable, ops));
        });
        builder.Services.AddSingleton<TokenFilter>();
        builder.Services.AddFailedAuthLimiter();
        builder.Services.AddSingleton<GuardMetrics>();
        builder.Services.AddSingleton(sp => GuardStoreFactory.Open(sp.GetRequiredService<IOptions<GuardServiceOptions>>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<GuardRuntime>();
        builder.Services.AddHostedService<BackgroundEvaluator>();
        builder.Services.AddSingleton<LiveRolloutHost>();
        builder.Services.AddHostedService<RolloutRunner>();
        builder.Services.ConfigureHttpJsonOptions(o => GuardJson.Configure(o.SerializerOptions));
        builder.Services.AddOpenApi("v1", OpenApiSecurity.Configure);
        RequestLog.Configure(builder);
        builder.Services.AddProblemDetails();
        return builder;
    }

    /// <summary>
    /// Builds the app: resolves the ops token (throws <see cref="GuardServiceConfigurationException"/>
    /// when the service must refuse to start), opens the store, maps the endpoints and the dashboard.
    /// </summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        var access = app.Services.GetRequiredService<GuardAccess>();
        var token = access.Ops;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CanarySim.Guard");
        if (token.Insecure)
        {
            logger.LogWarning(
                "INSECURE DEV MODE (--insecure-dev): {What}. Never run this way outside a developer machine.",
                token.Required ? "the ops token is shorter than the minimum length" : "mutating endpoints accept requests WITHOUT an ops token");
        }
        else
        {
            logger.LogInformation("ops token loaded from {Source}", token.Source);
        }
        if (access.App is { } appToken)
        {
            logger.LogInformation("app token loaded from {Source}", appToken.Source);
        }
        // Open the store now: a bad database file stops the start-up with its message.
        var runtime = app.Services.GetRequiredService<GuardRuntime>();
        runtime.AuthRequired = token.Required;
        runtime.InsecureDev = token.Insecure;
        logger.LogInformation("guard database: {Path}", runtime.DatabasePath);
        StartPlan(app, logger);

        RequestLog.Use(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        ApiEndpoints.CountRejected(app);
        var dashboard = new EmbeddedFileProvider(typeof(GuardServiceHost).Assembly, "CanarySim.Service.wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = dashboard });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = dashboard });
        app.UseRateLimiter();
        app.MapOpenApi("/openapi/{documentName}.json");
        ApiEndpoints.Map(app);
        return app;
    }

    private static void StartPlan(WebApplication app, ILogger logger)
    {
        LiveRolloutHost rollouts;
        try
        {
            rollouts = app.Services.GetRequiredService<LiveRolloutHost>();
        }
        catch (PlanValidationException ex)
        {
            throw new GuardServiceConfigurationException($"the plan cannot run live ({ex.Errors.Count} problem{(ex.Errors.Count == 1 ? "" : "s")}):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", ex.Errors));
        }
        if (rollouts.Rollout is { } live)
        {
            live.Start();
            logger.LogInformation("plan {Plan} runs live ({Stages} stages); ignored live: {Ignored}", live.Plan.Name, live.Plan.Stages.Count, LivePlanRules.Ignored(live.Plan));
        }
    }

    /// <summary>Builds from command-line arguments only.</summary>
    public static WebApplication Build(string[] args) => Build(CreateBuilder(args));

    /// <summary>Builds from options.</summary>
    public static WebApplication Build(GuardServiceOptions options) => Build(CreateBuilder([], options));

    /// <summary>Runs the service until stopped; returns the process exit code (2 when it refuses to start, 1 when it cannot bind).</summary>
    public static int Run(string[] args) => RunCore(() => Build(args), Console.Out, Console.Error, json: false, CancellationToken.None);

    /// <summary>Runs the service with the given options until stopped (used by <c>canarysim serve</c>).</summary>
    public static int Run(GuardServiceOptions options, TextWriter stderr) => RunCore(() => Build(options), TextWriter.Null, stderr, json: false, CancellationToken.None);

    /// <summary>
    /// Runs the service with the given options until stopped or <paramref name="stop"/> is cancelled,
    /// writing one line to <paramref name="stdout"/> once listening (JSON with <paramref name="json"/>):
    /// the bound addresses, the dashboard URL and the database path.
    /// </summary>
    public static int Run(GuardServiceOptions options, TextWriter stdout, TextWriter stderr, bool json, CancellationToken stop) =>
        RunCore(() => Build(options), stdout, stderr, json, stop);

    private static int RunCore(Func<WebApplication> build, TextWriter stdout, TextWriter stderr, bool json, CancellationToken stop)
    {
        WebApplication app;
        try
        {
            app = build();
        }
        catch (GuardServiceConfigurationException ex)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return 2;
        }
        catch (OptionsValidationException ex)
        {
            return InvalidOptions(stderr, ex);
        }
        try
        {
            app.Lifetime.ApplicationStarted.Register(() => Announce(app, stdout, json));
            using var registration = stop.Register(() => app.Lifetime.StopApplication());
            app.Run();
            return 0;
        }
        catch (IOException ex)
        {
            stderr.WriteLine($"error: cannot start the guard service: {ex.Message}");
            return 1;
        }
        catch (OptionsValidationException ex)
        {
            return InvalidOptions(stderr, ex);
        }
        finally
        {
            ((IDisposable)app).Dispose();
        }
    }

    /// <summary>Says which guard options were refused (when building or when starting); exit code 2.</summary>
    private static int InvalidOptions(TextWriter stderr, OptionsValidationException ex)
    {
        stderr.WriteLine($"error: invalid guard options: {string.Join("; ", ex.Failures)}");
        return 2;
    }

    private static void Announce(WebApplication app, TextWriter stdout, bool json)
    {
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        var database = app.Services.GetRequiredService<GuardRuntime>().DatabasePath;
        var plan = app.Services.GetRequiredService<LiveRolloutHost>().Rollout?.Plan;
        var planLine = plan is null ? null : $"plan '{plan.Name}' runs live ({plan.Stages.Count} stages: {string.Join(" → ", plan.Stages.Select(s => s.Name))}); ignored live: {LivePlanRules.Ignored(plan)}";
        if (json)
        {
            stdout.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { urls = addresses, dashboard = addresses.FirstOrDefault() + "/", database, plan = planLine }, GuardJson.Options));
        }
        else
        {
            stdout.WriteLine($"CanarySim guard listening on {string.Join(", ", addresses)} (dashboard: {addresses.FirstOrDefault()}/, database: {database}). Ctrl+C stops it.");
            if (planLine is not null)
            {
                stdout.WriteLine(planLine);
            }
        }
        stdout.Flush();
    }

    /// <summary>Maps the CLI-style switches onto configuration keys.</summary>
    internal static string[] NormalizeArgs(string[] args)
    {
        var result = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            string? key = a switch
            {
                "--db" => "DatabasePath",
                "--store" => "Store",
                "--ops-token-file" => "OpsTokenFile",
                "--app-token-file" => "AppTokenFile",
                _ => null,
            };
            if (a == "--insecure-dev")
            {
                result.Add($"--{GuardServiceOptions.SectionName}:InsecureDev=true");
            }
            else if (key is not null && i + 1 < args.Length)
            {
                result.Add($"--{GuardServiceOptions.SectionName}:{key}={args[++i]}");
            }
            else
            {
                result.Add(a);
            }
        }
        return result.ToArray();
    }
}
