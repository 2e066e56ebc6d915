namespace CanarySim.Features.Steps;

/// <summary>Where scenarios write their evidence: <c>reports/features/&lt;area&gt;/</c>, one file per scenario (atomic writes).</summary>
public static class ReportFiles
{
    /// <summary>A file path for <paramref name="scenario"/> under <c>reports/features/&lt;area&gt;</c>.</summary>
    public static string For(string area, ScenarioCase scenario, string suffix)
    {
        var slug = new string(scenario.DisplayName.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
        while (slug.Contains("--", StringComparison.Ordinal))
        {
            slug = slug.Replace("--", "-", StringComparison.Ordinal);
        }
        var folder = Path.Combine(RepoPaths.Root(), "reports", "features", area);
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, slug.Trim('-') + suffix);
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> through a temp file, so no reader sees half a report.</summary>
    public static void Write(string path, string text)
    {
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
