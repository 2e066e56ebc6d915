using System.Text.Json;
using CanarySim.Core.Reporting;

namespace CanarySim.Features;

/// <summary>
/// Starts and ends the Reqnroll test run around every test of the assembly. At the start it clears
/// <c>reports/features/</c> (no evidence of a removed scenario survives) and points Reqnroll's
/// Cucumber formatters there: <c>features.ndjson</c> (Cucumber Messages) and <c>index.html</c>
/// (the Cucumber HTML report, self-contained), with Markdown evidence shown inline
/// (<see cref="AttachmentMediaTypes"/>). At the end it writes <c>features.summary.json</c>
/// for the report index.
/// </summary>
[SetUpFixture]
public sealed class FeatureRun
{
    /// <summary>The HTML report's file name in <see cref="ReportFolder"/>.</summary>
    public const string HtmlReport = "index.html";

    /// <summary>The Cucumber Messages file name in <see cref="ReportFolder"/>.</summary>
    public const string MessagesReport = "features.ndjson";

    private static readonly JsonSerializerOptions SummaryJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>The repository root (the folder holding <c>CanarySim.sln</c>).</summary>
    public static string RepositoryRoot => RepoPaths.Root();

    /// <summary><c>reports/features</c> under the repository root.</summary>
    public static string ReportFolder => Path.Combine(RepositoryRoot, "reports", "features");

    /// <summary>Clears old reports, configures the formatters and starts Reqnroll's test run.</summary>
    [OneTimeSetUp]
    public async Task StartAsync()
    {
        ClearReports();
        AttachmentMediaTypes.Register();
        Environment.SetEnvironmentVariable("REQNROLL_FORMATTERS_HTML", "outputFilePath=" + Path.Combine(ReportFolder, HtmlReport));
        Environment.SetEnvironmentVariable("REQNROLL_FORMATTERS_MESSAGE", "outputFilePath=" + Path.Combine(ReportFolder, MessagesReport));
        await TestRunnerManager.OnTestRunStartAsync(typeof(FeatureRun).Assembly);
    }

    // Everything but the test results the build is writing beside the reports right now.
    private static void ClearReports()
    {
        Directory.CreateDirectory(ReportFolder);
        foreach (var folder in Directory.EnumerateDirectories(ReportFolder).Where(d => Path.GetFileName(d) != "test-results"))
        {
            Directory.Delete(folder, recursive: true);
        }
        foreach (var file in Directory.EnumerateFiles(ReportFolder))
        {
            File.Delete(file);
        }
    }

    /// <summary>Ends the test run (the formatters write their files) and writes the index summary.</summary>
    [OneTimeTearDown]
    public async Task EndAsync()
    {
        await TestRunnerManager.OnTestRunEndAsync(typeof(FeatureRun).Assembly);
        var (passed, failed) = (FeatureSuite.Passed, FeatureSuite.Failed);
        if (passed + failed == 0)
        {
            return; // only non-feature tests ran
        }
        // Scenarios (each Examples row counts), not the project's tests: the build's 'features:' line also counts the harness tests.
        var verdict = $"{passed} {(passed == 1 ? "scenario" : "scenarios")} passed, {failed} failed";
        var summary = new ReportSummary("features", "Feature rehearsals", verdict, HtmlReport, failed == 0 && passed > 0);
        var path = Path.Combine(ReportFolder, "features.summary.json");
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(summary, SummaryJson));
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
