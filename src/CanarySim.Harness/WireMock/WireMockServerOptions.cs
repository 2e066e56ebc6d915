using System.ComponentModel.DataAnnotations;

namespace CanarySim.Harness.WireMock;

/// <summary>How the harness installs and starts the real WireMock server.</summary>
public sealed record WireMockServerOptions
{
    /// <summary>The npm package <c>wiremock</c> version (it ships <c>wiremock-standalone-&lt;version&gt;.jar</c>). The default value is <c>3.13.2</c>.</summary>
    public string Version { get; init; } = "3.13.2";

    /// <summary>
    /// Folder the npm package is installed into (<c>npm install --prefix</c>). The default value is
    /// null: <c>&lt;repo&gt;/.tools/wiremock</c> (git-ignored), found by walking up to <c>CanarySim.sln</c>.
    /// </summary>
    public string? ToolsDirectory { get; init; }

    /// <summary>An existing standalone jar to run instead of installing (also read from the <c>CANARYSIM_WIREMOCK_JAR</c> environment variable). The default value is null.</summary>
    public string? JarPath { get; init; }

    /// <summary>How long to wait for <c>/__admin/health</c> to answer after starting. The default value is 90 seconds (a cold JVM on 2 busy cores).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Interval of the readiness poll. The default value is 100 milliseconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:05")]
    public TimeSpan ReadinessPollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the first-use <c>npm install</c> may take. The default value is 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:30:00")]
    public TimeSpan InstallTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Maximum JVM heap in megabytes. The default value is 256.</summary>
    [Range(64, 4096)]
    public int MaxHeapMegabytes { get; init; } = 256;

    /// <summary>Further WireMock command-line flags (e.g. <c>--verbose</c>). The default value is empty.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];
}
