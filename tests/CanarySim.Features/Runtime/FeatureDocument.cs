using System.Globalization;
using Gherkin;
using Gherkin.CucumberMessages;
using Gherkin.CucumberMessages.Pickles;
using Io.Cucumber.Messages.Types;
using Reqnroll.Formatters.RuntimeSupport;
using Messages = Io.Cucumber.Messages.Types;

namespace CanarySim.Features.Runtime;

/// <summary>
/// One <c>.feature</c> file parsed by the Gherkin parser Reqnroll ships, compiled into Cucumber
/// pickles (one per scenario and per example row, Background steps included) and described to
/// Reqnroll's runtime as a <see cref="FeatureInfo"/> carrying the feature's Cucumber messages, so
/// the message and HTML formatters can report it.
/// </summary>
public sealed class FeatureDocument : IFeatureLevelCucumberMessages
{
    private readonly Dictionary<string, Messages.Step> _steps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Messages.Scenario Scenario, Messages.Rule? Rule)> _scenarios = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Messages.Examples Examples, TableRow Row)> _rows = new(StringComparer.Ordinal);

    private FeatureDocument(string path, string text, IIdGenerator ids)
    {
        Path = path;
        var ast = new Parser().Parse(new StringReader(text));
        GherkinDocument = new AstMessagesConverter(ids).ConvertGherkinDocumentToEventArgs(ast, path);
        Source = new Source(path, text, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN);
        var feature = GherkinDocument.Feature ?? throw new FormatException($"{path}: the file holds no Feature");
        Index(feature);
        PickleList = new PickleCompiler(ids).Compile(GherkinDocument);
        FeatureInfo = new FeatureInfo(
            CultureInfo.GetCultureInfo(feature.Language),
            System.IO.Path.GetDirectoryName(path)?.Replace('\\', '/') ?? "",
            feature.Name,
            feature.Description,
            ProgrammingLanguage.CSharp,
            [.. feature.Tags.Select(t => t.Name.TrimStart('@'))],
            this);
    }

    /// <summary>The file's path as shown to users (relative to the repository, <c>/</c>-separated).</summary>
    public string Path { get; }

    /// <summary>What Reqnroll's runtime knows of the feature.</summary>
    public FeatureInfo FeatureInfo { get; }

    /// <summary>The feature's pickles in file order: what runs.</summary>
    public IReadOnlyList<Pickle> PickleList { get; }

    /// <inheritdoc/>
    public bool HasMessages => true;

    /// <inheritdoc/>
    public Source Source { get; }

    /// <inheritdoc/>
    public GherkinDocument GherkinDocument { get; }

    /// <inheritdoc/>
    public IEnumerable<Pickle> Pickles => PickleList;

    /// <summary>The feature's title.</summary>
    public string Name => GherkinDocument.Feature.Name;

    /// <summary>Parses <paramref name="fullPath"/>; <paramref name="displayPath"/> names it in messages and reports.</summary>
    /// <exception cref="FormatException">The file is not valid Gherkin (the message names file, line and column).</exception>
    public static FeatureDocument Load(string fullPath, string displayPath, IIdGenerator ids)
    {
        try
        {
            return new FeatureDocument(displayPath, File.ReadAllText(fullPath), ids);
        }
        catch (CompositeParserException ex)
        {
            throw new FormatException($"{displayPath}: {string.Join("; ", ex.Errors.Select(e => e.Message))}", ex);
        }
        catch (ParserException ex)
        {
            throw new FormatException($"{displayPath}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Every <c>features/**/*.feature</c> under <paramref name="repositoryRoot"/> in path order: the parsed
    /// document, or the parse error naming file and line. Ids are unique across the files.
    /// </summary>
    public static IEnumerable<(string Path, FeatureDocument? Document, string? Error)> LoadFolder(string repositoryRoot)
    {
        var folder = System.IO.Path.Combine(repositoryRoot, "features");
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"features folder not found: {folder}");
        }
        var ids = new IncrementingIdGenerator();
        foreach (var file in Directory.EnumerateFiles(folder, "*.feature", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var display = System.IO.Path.GetRelativePath(repositoryRoot, file).Replace('\\', '/');
            FeatureDocument? document = null;
            string? error = null;
            try
            {
                document = Load(file, display, ids);
            }
            catch (FormatException ex)
            {
                error = ex.Message;
            }
            yield return (display, document, error);
        }
    }

    /// <summary>The AST step a pickle step comes from (its keyword and line).</summary>
    public Messages.Step StepOf(PickleStep step) => _steps[step.AstNodeIds[0]];

    /// <summary>The scenario (or outline) a pickle comes from, and the rule holding it if any.</summary>
    public (Messages.Scenario Scenario, Messages.Rule? Rule) ScenarioOf(Pickle pickle) => _scenarios[pickle.AstNodeIds[0]];

    /// <summary>The example row a pickle comes from, or null for a plain scenario.</summary>
    public (Messages.Examples Examples, TableRow Row)? RowOf(Pickle pickle) =>
        pickle.AstNodeIds.Count > 1 && _rows.TryGetValue(pickle.AstNodeIds[^1], out var row) ? row : null;

    private void Index(Messages.Feature feature)
    {
        foreach (var child in feature.Children)
        {
            Index(child.Background, child.Scenario, null);
            if (child.Rule is { } rule)
            {
                foreach (var ruleChild in rule.Children)
                {
                    Index(ruleChild.Background, ruleChild.Scenario, rule);
                }
            }
        }
    }

    private void Index(Messages.Background? background, Messages.Scenario? scenario, Messages.Rule? rule)
    {
        foreach (var step in background?.Steps ?? [])
        {
            _steps[step.Id] = step;
        }
        if (scenario is null)
        {
            return;
        }
        _scenarios[scenario.Id] = (scenario, rule);
        foreach (var step in scenario.Steps)
        {
            _steps[step.Id] = step;
        }
        foreach (var examples in scenario.Examples)
        {
            foreach (var row in examples.TableBody)
            {
                _rows[row.Id] = (examples, row);
            }
        }
    }
}
