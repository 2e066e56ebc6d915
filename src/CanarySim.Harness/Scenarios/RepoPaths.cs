namespace CanarySim.Harness.Scenarios;

/// <summary>Finds the repository (the folder holding <c>CanarySim.sln</c>) and its <c>fixtures/</c>, from test binaries or the working directory.</summary>
public static class RepoPaths
{
    /// <summary>The repository root.</summary>
    /// <exception cref="DirectoryNotFoundException">Not run from inside a CanarySim checkout.</exception>
    public static string Root()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CanarySim.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new DirectoryNotFoundException($"No CanarySim.sln above '{AppContext.BaseDirectory}' or '{Directory.GetCurrentDirectory()}'; run from inside the repository.");
    }

    /// <summary>A path under <c>fixtures/</c>, e.g. <c>Fixture("wiremock", "planner-v2.json")</c>.</summary>
    public static string Fixture(params string[] parts) => Path.Combine([Root(), "fixtures", .. parts]);
}
