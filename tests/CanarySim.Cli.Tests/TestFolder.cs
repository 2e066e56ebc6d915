namespace CanarySim.Cli.Tests;

/// <summary>A fresh folder under the system temp directory for one test (unique per call), removed by <see cref="Delete"/>.</summary>
internal static class TestFolder
{
    /// <summary>Creates <c>&lt;temp&gt;/canarysim-&lt;area&gt;-tests/&lt;unique&gt;</c>.</summary>
    public static string Create(string area)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"canarysim-{area}-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Removes a folder made by <see cref="Create"/> and everything in it.</summary>
    public static void Delete(string dir)
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// A two-day plan: a shadow stage, then a 20 % canary held for a week (so it is still holding at
    /// the end). Small enough that a CLI test simulates it in about a second.
    /// </summary>
    public static string TwoDayPlan(string name, string title) => $$"""
        schema: canarysim.plan/v1
        name: {{name}}
        title: {{title}}
        start: 2026-02-16T00:00:00Z
        duration: 2d
        evidence: { window: 12h }
        traffic: { requests: 40000, profile: steady, sessions: 5000 }
        progression: { healthy_evaluations: 10 }
        stages:
          - { name: shadow, kind: shadow, percent: 0, min_hold: 2h }
          - { name: canary-20, kind: progressive, percent: 20, min_hold: 7d }
        """;
}
