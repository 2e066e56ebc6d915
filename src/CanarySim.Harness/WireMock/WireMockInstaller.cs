using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CanarySim.Harness.WireMock;

/// <summary>
/// Finds Java and the WireMock standalone jar, installing the npm package <c>wiremock</c> into a
/// git-ignored tools folder on first use. Errors name what is missing and how to install it.
/// </summary>
public static partial class WireMockInstaller
{
    /// <summary>Minimum Java major version WireMock 3 runs on (the image ships 17).</summary>
    public const int MinimumJavaMajor = 11;

    /// <summary>Returns the path of a runnable <c>java</c>, checking its version.</summary>
    /// <exception cref="WireMockSetupException">Java is missing or too old.</exception>
    public static string FindJava()
    {
        var javaHome = Environment.GetEnvironmentVariable("JAVA_HOME");
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(javaHome))
        {
            candidates.Add(Path.Combine(javaHome, "bin", OperatingSystem.IsWindows() ? "java.exe" : "java"));
        }
        var onPath = FindOnPath(OperatingSystem.IsWindows() ? "java.exe" : "java");
        if (onPath is not null)
        {
            candidates.Add(onPath);
        }
        var java = candidates.FirstOrDefault(File.Exists) ?? throw new WireMockSetupException(
            "Java 17 is needed to run the WireMock stub server, but no 'java' was found on PATH or in JAVA_HOME. " +
            "Install it (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless) or set JAVA_HOME.");
        var (code, output) = Run(java, ["-version"], TimeSpan.FromSeconds(60));
        var m = JavaVersionRegex().Match(output);
        if (code != 0 || !m.Success)
        {
            throw new WireMockSetupException($"'{java} -version' did not report a Java version (exit {code}): {output.Trim()}. Install Java 17 (apt-get install -y openjdk-17-jre-headless).");
        }
        var major = int.Parse(m.Groups["major"].Value, CultureInfo.InvariantCulture);
        if (major == 1 && m.Groups["minor"].Success)
        {
            major = int.Parse(m.Groups["minor"].Value, CultureInfo.InvariantCulture); // 1.8 style
        }
        if (major < MinimumJavaMajor)
        {
            throw new WireMockSetupException($"WireMock 3 needs Java {MinimumJavaMajor}+ (17 recommended), but '{java}' is Java {major}. Install openjdk-17-jre-headless or point JAVA_HOME at a newer JDK.");
        }
        return java;
    }

    /// <summary>
    /// Returns the standalone jar: <see cref="WireMockServerOptions.JarPath"/>, then
    /// <c>CANARYSIM_WIREMOCK_JAR</c>, then the tools folder — running <c>npm install --prefix</c> with
    /// the pinned version there when the jar is not yet installed (serialised across processes by a lock file).
    /// </summary>
    /// <exception cref="WireMockSetupException">npm is missing, the install fails, or no jar is in the package.</exception>
    public static async Task<string> EnsureJarAsync(WireMockServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var explicitJar = options.JarPath ?? Environment.GetEnvironmentVariable("CANARYSIM_WIREMOCK_JAR");
        if (!string.IsNullOrEmpty(explicitJar))
        {
            return File.Exists(explicitJar) ? Path.GetFullPath(explicitJar)
                : throw new WireMockSetupException($"The WireMock jar '{explicitJar}' (from options or CANARYSIM_WIREMOCK_JAR) does not exist.");
        }
        var tools = options.ToolsDirectory ?? DefaultToolsDirectory();
        var existing = FindJarIn(tools, options.Version);
        if (existing is not null)
        {
            return existing;
        }
        Directory.CreateDirectory(tools);
        using (await AcquireInstallLockAsync(tools, options.InstallTimeout, cancellationToken).ConfigureAwait(false))
        {
            existing = FindJarIn(tools, options.Version);
            if (existing is not null)
            {
                return existing;
            }
            var npm = FindOnPath(OperatingSystem.IsWindows() ? "npm.cmd" : "npm") ?? throw new WireMockSetupException(
                $"The WireMock stub server is installed from the npm package 'wiremock@{options.Version}' on first use, but 'npm' was not found on PATH. " +
                $"Install Node.js 20 with npm (Debian/Ubuntu: apt-get install -y nodejs npm), or set CANARYSIM_WIREMOCK_JAR to a wiremock-standalone jar.");
            var (code, output) = Run(npm, ["install", "--prefix", tools, $"wiremock@{options.Version}", "--no-audit", "--no-fund", "--loglevel=error"], options.InstallTimeout);
            if (code != 0)
            {
                throw new WireMockSetupException($"'npm install --prefix {tools} wiremock@{options.Version}' failed (exit {code}): {output.Trim()}");
            }
            return FindJarIn(tools, options.Version) ?? throw new WireMockSetupException(
                $"npm installed wiremock@{options.Version} into '{tools}', but no wiremock-standalone-*.jar was found under node_modules/wiremock/build.");
        }
    }

    /// <summary><c>&lt;repo&gt;/.tools/wiremock</c>, the repo found by walking up from the test binaries to <c>CanarySim.sln</c>; a temp folder outside a checkout.</summary>
    public static string DefaultToolsDirectory()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CanarySim.sln")))
                {
                    return Path.Combine(dir.FullName, ".tools", "wiremock");
                }
            }
        }
        return Path.Combine(Path.GetTempPath(), "canarysim-tools", "wiremock");
    }

    private static string? FindJarIn(string tools, string version)
    {
        var build = Path.Combine(tools, "node_modules", "wiremock", "build");
        var exact = Path.Combine(build, $"wiremock-standalone-{version}.jar");
        if (File.Exists(exact))
        {
            return exact;
        }
        return Directory.Exists(build) ? Directory.GetFiles(build, "wiremock-standalone-*.jar").OrderBy(f => f, StringComparer.Ordinal).LastOrDefault() : null;
    }

    private static async Task<FileStream> AcquireInstallLockAsync(string tools, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var lockPath = Path.Combine(tools, ".install.lock");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (deadline.Elapsed < timeout)
            {
                // another test process is installing; a bounded wait for its lock
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    internal static string? FindOnPath(string exe)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, exe);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static (int ExitCode, string Output) Run(string file, IReadOnlyList<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new WireMockSetupException($"Could not start '{file}'.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new WireMockSetupException($"'{file} {string.Join(' ', args)}' did not finish within {timeout}.");
        }
        return (p.ExitCode, stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult());
    }

    [GeneratedRegex("version \"(?<major>\\d+)(\\.(?<minor>\\d+))?")]
    private static partial Regex JavaVersionRegex();
}
