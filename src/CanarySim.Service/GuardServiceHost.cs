namespace CanarySim.Service;

/// <summary>Builds and runs the guard API and dashboard (SPEC §5). Not built yet: see the service issue.</summary>
public static class GuardServiceHost
{
    /// <summary>Runs the service until stopped; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        app.MapGet("/guard/health", () => Results.Ok(new { status = "ok" }));
        app.Run();
        return 0;
    }
}
