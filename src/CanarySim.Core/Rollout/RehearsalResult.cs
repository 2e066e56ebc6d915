using System.Text;
using CanarySim.Core.Routing;

namespace CanarySim.Core.Rollout;

/// <summary>The outcome of a <see cref="RollbackRehearsal"/>.</summary>
/// <param name="Passed">Every smoke scenario passed on v1.</param>
/// <param name="Smoke">Per-scenario results, in order.</param>
/// <param name="EvidencePath">Where the evidence was recorded (also in the audit event).</param>
/// <param name="Before">Router settings before the rehearsal (the stage to restore).</param>
/// <param name="After">Router settings after it: <paramref name="Before"/> again when it passed, v1-only when it failed.</param>
/// <param name="Restored">Whether the previous stage was restored (only after a pass).</param>
/// <param name="At">When the rehearsal ran.</param>
public sealed record RehearsalResult(
    bool Passed,
    IReadOnlyList<SmokeResult> Smoke,
    string EvidencePath,
    RouterSettings Before,
    RouterSettings After,
    bool Restored,
    DateTimeOffset At)
{
    /// <summary>The evidence as Markdown: verdict, settings before/after, one row per smoke scenario.</summary>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.Append("# Rollback rehearsal — ").Append(Passed ? "PASSED" : "FAILED").Append("\n\n");
        md.Append("- When: ").Append(At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        md.Append("- Stage before: ").Append(Describe(Before)).Append('\n');
        md.Append("- Stage after: ").Append(Describe(After)).Append(Restored ? " (restored)" : " (left on v1)").Append('\n');
        md.Append("- Evidence: ").Append(EvidencePath).Append("\n\n");
        md.Append("| Smoke scenario | Result | Served by | Reason | Detail |\n|---|---|---|---|---|\n");
        foreach (var s in Smoke)
        {
            md.Append("| ").Append(s.Scenario).Append(" | ").Append(s.Passed ? "pass" : "FAIL").Append(" | ")
              .Append(s.ServedBy?.ToWire() ?? "none").Append(" | ").Append(s.Reason.ToWire()).Append(" | ")
              .Append(s.Detail.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)).Append(" |\n");
        }
        return md.ToString();
    }

    private static string Describe(RouterSettings s) =>
        $"mode {s.Mode.ToWire()}, canary {s.CanaryPct.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} %, kill switch {(s.KillSwitch ? "on" : "off")}";
}
