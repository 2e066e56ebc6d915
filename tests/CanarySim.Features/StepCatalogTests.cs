namespace CanarySim.Features;

/// <summary>
/// The step catalog (<c>features/STEPS.md</c>) generated from the bindings. The build's <c>Steps</c>
/// target (run by <c>Test</c> and <c>Rehearse</c>) writes it by running this test with
/// <c>CANARYSIM_WRITE_STEPS=1</c>; on its own the test checks the catalog can describe every step.
/// </summary>
public sealed class StepCatalogTests
{
    /// <summary>How to regenerate the catalog by hand (printed in STEPS.md and features/README.md).</summary>
    public const string RegenerateCommand = "./build.sh --target=Steps";

    [Test]
    public void Step_catalog_describes_every_step()
    {
        var root = FeatureRun.RepositoryRoot;
        var xml = Path.ChangeExtension(typeof(FeatureSuite).Assembly.Location, ".xml");
        Assert.That(File.Exists(xml), Is.True, $"XML documentation {xml} is missing: GenerateDocumentationFile must stay on in CanarySim.Features.csproj");
        var steps = StepBinding.All(typeof(FeatureSuite).Assembly);
        var features = FeatureDocument.LoadFolder(root).Where(f => f.Document is not null).Select(f => f.Document!);
        var catalog = StepCatalog.Generate(steps, xml, RegenerateCommand, features);

        Assert.That(steps, Is.Not.Empty, "no [Given]/[When]/[Then] bindings found");
        var undocumented = steps.Where(s => !catalog.Contains(StepCatalog.Heading(s), StringComparison.Ordinal)
            || catalog.Contains(StepCatalog.Heading(s) + "Parameters", StringComparison.Ordinal)
            || catalog.Contains(StepCatalog.Heading(s) + "Example", StringComparison.Ordinal))
            .Select(s => $"{s.Method.DeclaringType!.Name}.{s.Method.Name}: {s.Kind} {s.DisplayPattern}").ToList();
        Assert.That(undocumented, Is.Empty, "step definitions without a <summary> (the catalog would show only their pattern)");

        if (Environment.GetEnvironmentVariable("CANARYSIM_WRITE_STEPS") == "1")
        {
            var path = Path.Combine(root, "features", "STEPS.md");
            File.WriteAllText(path + ".tmp", catalog);
            File.Move(path + ".tmp", path, overwrite: true);
        }
    }

    [Test]
    public void Defaults_section_reads_values_not_type_names()
    {
        var md = StepDefaults.Markdown();
        Assert.That(md, Does.Not.Contain("System.").And.Not.Contain("CanarySim."), "a default printed as its .NET type name");
        Assert.That(md, Does.Contain("- v1 and v2 `Agents`: none\n"));
    }
}
