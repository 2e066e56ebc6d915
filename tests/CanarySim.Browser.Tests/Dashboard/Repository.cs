namespace CanarySim.Browser.Tests.Dashboard;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CanarySim.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"CanarySim.sln not found above {AppContext.BaseDirectory}");
    }

    /// <summary>The built CLI of the same configuration as these tests (bin/&lt;Configuration&gt;/net10.0/canarysim.dll).</summary>
    public static string CliAssembly()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // …/bin/<Configuration>/net10.0/
        var path = Path.Combine(Root(), "src", "CanarySim.Cli", "bin", configuration, "net10.0", "canarysim.dll");
        if (!File.Exists(path))
        {
            Assert.Fail($"the CLI is not built at {path}: build the solution (or tests/CanarySim.Browser.Tests, which builds it) first");
        }
        return path;
    }

    /// <summary>reports/browser/, where each state's screenshot is kept.</summary>
    public static string ScreenshotDirectory()
    {
        var dir = Path.Combine(Root(), "reports", "browser");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Debian's chromium on PATH; a clear failure when it is missing (never a silent skip).</summary>
    public static string Chromium()
    {
        foreach (var name in new[] { "chromium", "chromium-browser" })
        {
            var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
                .Select(d => Path.Combine(d, name))
                .FirstOrDefault(File.Exists);
            if (path is not null)
            {
                return path;
            }
        }
        Assert.Fail("chromium was not found on PATH. The dashboard tests drive Debian's Chromium through Playwright: " +
                    "install it with 'apt-get install -y chromium' (./build.sh --target=Test does this when run as root).");
        return "";
    }
}
