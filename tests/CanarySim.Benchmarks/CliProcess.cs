using System.Diagnostics;

namespace CanarySim.Benchmarks;

/// <summary>The built CLI run as its own process by the timed modes (<c>simtime</c>, <c>sweeptime</c>).</summary>
internal static class CliProcess
{
    /// <summary>Runs <c>dotnet CLI ARGS…</c> to its end, reading both streams; the wall time includes the process start-up.</summary>
    public static (int ExitCode, string Stdout, string Stderr, TimeSpan Wall) Run(string cli, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(cli);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        watch.Stop();
        return (process.ExitCode, stdout.Result, stderr.Result, watch.Elapsed);
    }
}
