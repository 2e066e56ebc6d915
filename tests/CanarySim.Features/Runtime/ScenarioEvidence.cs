namespace CanarySim.Features.Runtime;

/// <summary>
/// The running scenario as step bindings see it: its <see cref="ScenarioCase"/> (title, tags, file)
/// and <see cref="Attach"/>, which puts evidence into the Cucumber report (files as attachments,
/// text as the step's log).
/// </summary>
public sealed class ScenarioEvidence(ScenarioCase scenario, IReqnrollOutputHelper output)
{
    /// <summary>The scenario being run.</summary>
    public ScenarioCase Scenario { get; } = scenario;

    /// <summary>
    /// Attaches evidence to the report: when <paramref name="pathOrText"/> is an existing file it is
    /// attached, otherwise it is logged as text under <paramref name="name"/>.
    /// </summary>
    public void Attach(string name, string pathOrText)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(pathOrText);
        var isFile = pathOrText.Length < 1024 && !pathOrText.Contains('\n', StringComparison.Ordinal) && File.Exists(pathOrText);
        if (isFile)
        {
            output.WriteLine($"{name}: {Path.GetRelativePath(CanarySim.Harness.Scenarios.RepoPaths.Root(), pathOrText).Replace('\\', '/')}");
            output.AddAttachment(Path.GetFullPath(pathOrText));
            return;
        }
        output.WriteLine($"{name}:\n{pathOrText}");
    }
}
