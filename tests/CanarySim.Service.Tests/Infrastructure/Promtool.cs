using System.Diagnostics;

namespace CanarySim.Service.Tests.Infrastructure;

/// <summary>Runs Prometheus's own linter, <c>promtool check metrics</c>, over exposition text.</summary>
internal static class Promtool
{
    public static string Find()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "promtool"))
            .FirstOrDefault(File.Exists);
        if (path is null)
        {
            Assert.Fail("promtool was not found on PATH. It validates /metrics: install Debian's 'prometheus' package " +
                        "(apt-get install -y prometheus; ./build.sh --target=Test does this when run as root).");
        }
        return path!;
    }

    /// <summary>Returns (exit code, combined output).</summary>
    public static async Task<(int Code, string Output)> CheckMetricsAsync(string text)
    {
        var psi = new ProcessStartInfo(Find(), "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
