using NUnit.Framework;

namespace CanarySim.Gherkin;

/// <summary>Finds the repository's <c>features/</c> folder and turns every scenario in it into an NUnit test case.</summary>
public static class FeatureTestSource
{
    /// <summary>The file that marks the repository root.</summary>
    public const string SolutionFileName = "CanarySim.sln";

    /// <summary>Walks up from <paramref name="start"/> (default: the test assembly folder) to the folder holding <see cref="SolutionFileName"/>.</summary>
    public static string FindRepositoryRoot(string? start = null)
    {
        var folder = new DirectoryInfo(start ?? AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, SolutionFileName)))
        {
            folder = folder.Parent;
        }
        return folder?.FullName
            ?? throw new DirectoryNotFoundException($"no folder above {start ?? AppContext.BaseDirectory} holds {SolutionFileName}; run the tests from inside the repository");
    }

    /// <summary>One test case per scenario and outline row of every feature under <paramref name="featuresDirectory"/>, named <c>Feature: Scenario [row]</c>; tags become categories.</summary>
    public static IEnumerable<TestCaseData> Cases(string featuresDirectory, string displayRoot)
    {
        if (!Directory.Exists(featuresDirectory))
        {
            throw new DirectoryNotFoundException($"features folder not found: {featuresDirectory}");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var feature in FeatureLoader.LoadDirectory(featuresDirectory, displayRoot))
        {
            if (feature.ParseError is not null)
            {
                yield return new TestCaseData(new FeatureTestCase(null, feature)).SetName($"{feature.FilePath}: does not parse");
                continue;
            }
            foreach (var scenario in feature.Scenarios)
            {
                var name = scenario.DisplayName;
                for (var n = 2; !names.Add(name); n++)
                {
                    name = $"{scenario.DisplayName} #{n}";
                }
                var data = new TestCaseData(new FeatureTestCase(scenario, null)).SetName(name);
                foreach (var tag in scenario.Tags)
                {
                    data.SetCategory(tag);
                }
                yield return data;
            }
        }
    }
}
