using System.Globalization;

namespace CanarySim.Benchmarks;

/// <summary>The <c>--name value</c> arguments of the non-BenchmarkDotNet modes.</summary>
internal static class BenchArgs
{
    public static double Number(string[] args, string name, double fallback) =>
        Text(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>The repository root: the folder holding <c>CanarySim.sln</c> above the benchmark binary, else the working directory.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CanarySim.sln")))
            {
                return dir.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }

    /// <summary><c>--cli</c>: the built CLI the timed modes start (default the Release build in the repository).</summary>
    public static string Cli(string[] args, string root) =>
        Path.GetFullPath(Text(args, "--cli") ?? Path.Combine(root, "src", "CanarySim.Cli", "bin", "Release", "net10.0", "canarysim.dll"));

    /// <summary><c>--plan</c>: the plan file (default <c>fixtures/plans/planner-7-week.yaml</c>).</summary>
    public static string Plan(string[] args, string root) =>
        Path.GetFullPath(Text(args, "--plan") ?? Path.Combine(root, "fixtures", "plans", "planner-7-week.yaml"));

    /// <summary><c>--out</c>: where the results are written (default <c>reports/bench</c>).</summary>
    public static string OutDir(string[] args) => Path.GetFullPath(Text(args, "--out") ?? Path.Combine("reports", "bench"));

    /// <summary>
    /// Where a mode that starts <paramref name="cli"/> writes (<see cref="OutDir"/>, created), or null when the CLI is not
    /// built (said on stderr, naming mode <paramref name="mode"/>; nothing is created).
    /// </summary>
    public static string? OutDirFor(string mode, string[] args, string cli)
    {
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"{mode}: {cli} not found; build it first: dotnet build src/CanarySim.Cli -c Release");
            return null;
        }
        var outDir = OutDir(args);
        Directory.CreateDirectory(outDir);
        return outDir;
    }
}
