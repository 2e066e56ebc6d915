namespace CanarySim.Cli.Tests.Gating;

/// <summary>The repository root (the folder holding CanarySim.sln), found from the test assembly's folder.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CanarySim.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("CanarySim.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
