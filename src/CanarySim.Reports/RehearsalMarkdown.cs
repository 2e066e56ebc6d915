using System.Globalization;
using System.Text;
using CanarySim.Core;
using CanarySim.Core.Rollout;
using CanarySim.Core.Routing;

namespace CanarySim.Reports;

/// <summary>The evidence of a rollback rehearsal as Markdown.</summary>
public static class RehearsalMarkdown
{
    /// <summary>The evidence as Markdown: verdict, settings before/after, one row per smoke scenario.</summary>
    public static string ToMarkdown(this RehearsalResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var md = new StringBuilder();
        md.Append("# Rollback rehearsal — ").Append(result.Passed ? "PASSED" : "FAILED").Append("\n\n");
        md.Append("- When: ").Append(result.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append('\n');
        md.Append("- Stage before: ").Append(Describe(result.Before)).Append('\n');
        md.Append("- Stage after: ").Append(Describe(result.After)).Append(result.Restored ? " (restored)" : " (left on v1)").Append('\n');
        md.Append("- Evidence: ").Append(result.EvidencePath).Append("\n\n");
        md.Append("| Smoke scenario | Result | Served by | Reason | Detail |\n|---|---|---|---|---|\n");
        foreach (var s in result.Smoke)
        {
            md.Append("| ").Append(s.Scenario).Append(" | ").Append(s.Passed ? "pass" : "FAIL").Append(" | ")
              .Append(s.ServedBy is { } servedBy ? WireName.Of(servedBy) : "none").Append(" | ").Append(WireName.Of(s.Reason)).Append(" | ")
              .Append(Markdown.Cell(s.Detail)).Append(" |\n");
        }
        return md.ToString();
    }

    private static string Describe(RouterSettings s) =>
        $"mode {WireName.Of(s.Mode)}, canary {s.CanaryPct.ToString("0.##", CultureInfo.InvariantCulture)} %, kill switch {(s.KillSwitch ? "on" : "off")}";
}
