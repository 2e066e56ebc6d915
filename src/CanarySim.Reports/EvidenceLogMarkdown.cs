using System.Globalization;
using System.Text;
using CanarySim.Core.Rollout;

namespace CanarySim.Reports;

/// <summary>The evidence log as the seed's Markdown: heading, policy list, evidence table, decision counts.</summary>
public static class EvidenceLogMarkdown
{
    /// <summary>Renders the log; the output depends only on its rows, so the same run gives the same bytes.</summary>
    public static string ToMarkdown(this EvidenceLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var md = new StringBuilder();
        md.Append("# ").Append(log.Title).Append("\n\n");
        if (log.Scope.Length > 0)
        {
            md.Append("Scope: ").Append(log.Scope).Append("\n\n");
        }
        if (log.Policy.Count > 0)
        {
            md.Append("## Rollout policy\n\n");
            for (var i = 0; i < log.Policy.Count; i++)
            {
                md.Append(i + 1).Append(". ").Append(log.Policy[i]).Append('\n');
            }
            md.Append("\n---\n\n");
        }
        md.Append("## Evidence table\n\n");
        md.Append("| Date (UTC) | Window | Scope | Fallback rate | p95 latency | Decision | Notes |\n");
        md.Append("|---|---|---|---:|---:|---|---|\n");
        foreach (var r in log.Rows)
        {
            md.Append("| ").Append(r.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
              .Append(" | ").Append(Markdown.Cell(r.Window))
              .Append(" | ").Append(Markdown.Cell(r.Scope))
              .Append(" | ").Append(EvidenceLog.FormatRate(r.FallbackRate))
              .Append(" | ").Append(EvidenceLog.FormatP95(r.P95LatencyMs))
              .Append(" | ").Append(r.Decision)
              .Append(" | ").Append(Markdown.Cell(r.Notes))
              .Append(" |\n");
        }
        md.Append("\n## Decisions\n\n");
        foreach (var d in EvidenceDecision.All)
        {
            var n = log.Rows.Count(r => r.Decision == d);
            if (n > 0)
            {
                md.Append("- `").Append(d).Append("`: ").Append(n.ToString(CultureInfo.InvariantCulture)).Append(n == 1 ? " window\n" : " windows\n");
            }
        }
        return md.ToString();
    }
}
