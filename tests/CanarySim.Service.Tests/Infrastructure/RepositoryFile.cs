namespace CanarySim.Service.Tests.Infrastructure;

/// <summary>Files of the repository (found above the test assembly's folder by <c>CanarySim.sln</c>).</summary>
internal static class RepositoryFile
{
    /// <summary>The full path of <paramref name="relative"/> (e.g. <c>fixtures/policies/default.json</c>).</summary>
    public static string Path(string relative)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CanarySim.sln")))
            {
                return System.IO.Path.Combine(dir.FullName, relative);
            }
        }
        throw new InvalidOperationException("the repository root (CanarySim.sln) was not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
