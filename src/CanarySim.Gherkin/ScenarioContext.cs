namespace CanarySim.Gherkin;

/// <summary>
/// The running scenario, injectable into binding constructors (as Reqnroll's <c>ScenarioContext</c>):
/// its title, tags and the evidence it attaches to the report.
/// </summary>
public sealed class ScenarioContext
{
    private readonly List<Attachment> attachments = [];
    private readonly Lock gate = new();

    /// <summary>Creates the context of <paramref name="scenario"/>.</summary>
    public ScenarioContext(ScenarioCase scenario) => Scenario = scenario;

    /// <summary>The scenario being run.</summary>
    public ScenarioCase Scenario { get; }

    /// <summary>The scenario's tags, without <c>@</c>.</summary>
    public IReadOnlyList<string> Tags => Scenario.Tags;

    /// <summary>Evidence attached so far.</summary>
    public IReadOnlyList<Attachment> Attachments
    {
        get
        {
            lock (gate)
            {
                return [.. attachments];
            }
        }
    }

    /// <summary>
    /// Attaches evidence to the report: when <paramref name="pathOrText"/> is an existing file it is
    /// linked, otherwise it is shown as text.
    /// </summary>
    public void Attach(string name, string pathOrText)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(pathOrText);
        var isFile = pathOrText.Length < 1024 && !pathOrText.Contains('\n', StringComparison.Ordinal) && File.Exists(pathOrText);
        var attachment = new Attachment(name, isFile ? Path.GetFullPath(pathOrText) : pathOrText, isFile);
        lock (gate)
        {
            attachments.Add(attachment);
        }
    }
}
