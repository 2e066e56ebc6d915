using System.Text.Json;
using CanarySim.Core.Reporting;
using CanarySim.Gherkin;

namespace CanarySim.Features;

/// <summary>
/// Runs every <c>features/**/*.feature</c> as NUnit test cases (one per scenario / outline row) and
/// writes <c>reports/features/index.html</c> plus <c>features.summary.json</c> for the report index.
/// </summary>
[TestFixture]
public sealed class FeatureSuite : FeatureTests<FeatureSuite>
{
    private static readonly JsonSerializerOptions SummaryJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <inheritdoc/>
    protected override void OnTestRunFinished(RunReport report)
    {
        base.OnTestRunFinished(report);
        var summary = new ReportSummary("features", "Feature rehearsals", report.Verdict, "index.html", report.Failed == 0 && report.Passed > 0);
        var path = Path.Combine(RepositoryRoot, "reports", "features", "features.summary.json");
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(summary, SummaryJson));
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
