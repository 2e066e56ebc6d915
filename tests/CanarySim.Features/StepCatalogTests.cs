using CanarySim.Gherkin;

namespace CanarySim.Features;

/// <summary>Keeps <c>features/STEPS.md</c> equal to what the bindings generate.</summary>
public sealed class StepCatalogTests
{
    /// <summary>How to regenerate the catalog (also printed in STEPS.md and features/README.md).</summary>
    public const string RegenerateCommand = "CANARYSIM_UPDATE_STEPS=1 dotnet test tests/CanarySim.Features --filter Name~Step_catalog";

    [Test]
    public void Step_catalog_is_up_to_date()
    {
        var root = FeatureTestSource.FindRepositoryRoot(TestContext.CurrentContext.TestDirectory);
        var path = Path.Combine(root, "features", "STEPS.md");
        var xml = Path.ChangeExtension(typeof(FeatureSuite).Assembly.Location, ".xml");
        Assert.That(File.Exists(xml), Is.True, $"XML documentation {xml} is missing: GenerateDocumentationFile must stay on in CanarySim.Features.csproj");
        var features = FeatureLoader.LoadDirectory(Path.Combine(root, "features"), root);
        var generated = StepCatalog.Generate(new BindingRegistry(typeof(FeatureSuite).Assembly), xml, RegenerateCommand, features);

        var update = Environment.GetEnvironmentVariable("CANARYSIM_UPDATE_STEPS") == "1"
            || string.Equals(TestContext.Parameters.Get("updateSteps", "false"), "true", StringComparison.OrdinalIgnoreCase);
        if (update)
        {
            File.WriteAllText(path + ".tmp", generated);
            File.Move(path + ".tmp", path, overwrite: true);
        }

        var committed = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        if (committed != generated)
        {
            var a = committed.Split('\n');
            var b = generated.Split('\n');
            var line = Enumerable.Range(0, Math.Max(a.Length, b.Length)).First(i => i >= a.Length || i >= b.Length || a[i] != b[i]);
            Assert.Fail($"features/STEPS.md is out of date with the step bindings (first difference at line {line + 1}:\n" +
                $"  committed: {(line < a.Length ? a[line] : "<end of file>")}\n  generated: {(line < b.Length ? b[line] : "<end of file>")}).\n" +
                $"Regenerate it and commit the result:\n  {RegenerateCommand}");
        }
        Assert.That(committed, Is.EqualTo(generated));
    }
}
