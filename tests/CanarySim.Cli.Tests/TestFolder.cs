namespace CanarySim.Cli.Tests;

/// <summary>
/// A fixture whose every test gets a fresh folder under the system temp directory
/// (<c>&lt;temp&gt;/canarysim-cli-tests/&lt;fixture&gt;/&lt;unique&gt;</c>), removed after the test.
/// </summary>
public abstract class TestFolder
{
    /// <summary>The running test's folder.</summary>
    protected string Dir { get; private set; } = "";

    [SetUp]
    public void CreateFolder()
    {
        Dir = Path.Combine(Path.GetTempPath(), "canarysim-cli-tests", GetType().Name, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
    }

    [TearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(Dir))
        {
            Directory.Delete(Dir, recursive: true);
        }
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="name"/> in the folder; returns its path.</summary>
    protected string Write(string name, string content)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>
    /// A two-day plan: a shadow stage, then a 20 % canary held for a week (so it is still holding at
    /// the end). Small enough that a CLI test simulates it in about a second.
    /// </summary>
    protected static string TwoDayPlan(string name, string title) => $$"""
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
