// What a test run's .trx files say, and what the build refuses: a failed test, a run with nothing
// passed, a skipped or ignored test not in tests/skipped-tests.txt (with its reason), a test project
// that ran no test at all, no feature scenario run (e.g. an empty features/ folder). Plain C#: build.cake #loads it and
// tests/CanarySim.Core.Tests compiles it in (Build/TestResultsCheckTests.cs), so these rules are tested.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

/// <summary>Totals and the names of skipped tests over a set of .trx files.</summary>
public sealed class TestRunSummary
{
    /// <summary>Tests that passed.</summary>
    public int Passed { get; set; }

    /// <summary>Tests that failed, errored, timed out or were aborted.</summary>
    public int Failed { get; set; }

    /// <summary>Tests that did not run: ignored, skipped or inconclusive.</summary>
    public int Skipped => SkippedTests.Count;

    /// <summary>Each skipped test as <c>Class.Test</c> (the class's full name, the test's display name) with the runner's message.</summary>
    public List<(string Name, string Message)> SkippedTests { get; } = new();

    /// <summary>Tests that ran (passed or failed) per test assembly file name, e.g. <c>CanarySim.Features.dll</c>; every assembly a file defines tests of is listed, with 0 if none ran.</summary>
    public Dictionary<string, int> ExecutedPerAssembly { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Tests that ran per test class full name, e.g. <c>CanarySim.Features.FeatureSuite</c> (every feature scenario); listed with 0 like assemblies.</summary>
    public Dictionary<string, int> ExecutedPerClass { get; } = new(StringComparer.Ordinal);

    /// <summary>The closing line CI prints.</summary>
    public string Line => $"{Passed} passed, {Failed} failed, {Skipped} skipped";
}

/// <summary>Reads .trx files and the skip allow-list; lists what makes a run unacceptable.</summary>
public static class TestResultsCheck
{
    /// <summary>Sums every result of every file.</summary>
    public static TestRunSummary Read(IEnumerable<string> trxFiles)
    {
        var summary = new TestRunSummary();
        foreach (var file in trxFiles)
        {
            var doc = XDocument.Load(file);
            var tests = doc.Descendants().Where(e => e.Name.LocalName == "UnitTest")
                .ToDictionary(e => e.Attribute("id")?.Value ?? "", e => e);
            foreach (var test in tests.Values)
            {
                summary.ExecutedPerAssembly.TryAdd(AssemblyOf(test), 0);
                summary.ExecutedPerClass.TryAdd(ClassOf(test), 0);
            }
            foreach (var result in doc.Descendants().Where(e => e.Name.LocalName == "UnitTestResult"))
            {
                tests.TryGetValue(result.Attribute("testId")?.Value ?? "", out var test);
                var className = test is null ? "" : ClassOf(test);
                var assembly = test is null ? "unknown" : AssemblyOf(test);
                var name = (className.Length > 0 ? className + "." : "") + (result.Attribute("testName")?.Value ?? "");
                switch (result.Attribute("outcome")?.Value)
                {
                    case "Passed":
                        summary.Passed++;
                        Executed(summary, assembly, className);
                        break;
                    case "Failed":
                    case "Error":
                    case "Timeout":
                    case "Aborted":
                        summary.Failed++;
                        Executed(summary, assembly, className);
                        break;
                    default: // NotExecuted (ignored, skipped), Inconclusive, Pending, NotRunnable, ...
                        var message = result.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value.Trim() ?? "";
                        summary.SkippedTests.Add((name, message));
                        break;
                }
            }
        }
        return summary;
    }

    /// <summary>
    /// The allow-list: one test a line, <c>Class.Test | reason</c>; blank lines and lines starting
    /// with <c>#</c> are ignored. A line without a reason is an error naming the file and line.
    /// </summary>
    public static Dictionary<string, string> ReadAllowList(string path)
    {
        var allowed = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!System.IO.File.Exists(path))
        {
            return allowed;
        }
        var lines = System.IO.File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal))
            {
                continue;
            }
            var bar = line.LastIndexOf('|');
            var name = bar < 0 ? line : line.Substring(0, bar).Trim();
            var reason = bar < 0 ? "" : line.Substring(bar + 1).Trim();
            if (name.Length == 0 || reason.Length == 0)
            {
                throw new FormatException($"{path}:{i + 1}: expected 'Class.Test | reason why it may be skipped', got '{line}'");
            }
            allowed[name] = reason;
        }
        return allowed;
    }

    /// <summary>
    /// Everything that fails the build, one sentence each: failures, nothing passed, each skipped
    /// test not allowed, each required test assembly (file name) or test class (full name) that ran no test.
    /// </summary>
    public static List<string> Problems(TestRunSummary summary, IReadOnlyDictionary<string, string> allowed, IEnumerable<string> required)
    {
        var problems = new List<string>();
        if (summary.Failed > 0)
        {
            problems.Add($"{summary.Failed} test(s) failed");
        }
        if (summary.Passed == 0)
        {
            problems.Add("no test passed");
        }
        foreach (var (name, message) in summary.SkippedTests)
        {
            if (!allowed.ContainsKey(name))
            {
                problems.Add($"skipped but not in tests/skipped-tests.txt: {name}" + (message.Length > 0 ? $" ({message})" : ""));
            }
        }
        foreach (var name in required)
        {
            var counts = name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? summary.ExecutedPerAssembly : summary.ExecutedPerClass;
            if (!counts.TryGetValue(name, out var n) || n == 0)
            {
                problems.Add($"{name} ran no test (an empty features/ folder, or every test filtered or ignored)");
            }
        }
        return problems;
    }

    // The test method's codeBase keeps the file name's case (the definition's storage is lower-cased).
    private static string AssemblyOf(XElement test) =>
        System.IO.Path.GetFileName(test.Descendants().FirstOrDefault(e => e.Name.LocalName == "TestMethod")?.Attribute("codeBase")?.Value
            ?? test.Attribute("storage")?.Value ?? "unknown");

    private static string ClassOf(XElement test) =>
        test.Descendants().FirstOrDefault(e => e.Name.LocalName == "TestMethod")?.Attribute("className")?.Value ?? "";

    private static void Executed(TestRunSummary summary, string assembly, string className)
    {
        summary.ExecutedPerAssembly[assembly] = summary.ExecutedPerAssembly.TryGetValue(assembly, out var n) ? n + 1 : 1;
        summary.ExecutedPerClass[className] = summary.ExecutedPerClass.TryGetValue(className, out var c) ? c + 1 : 1;
    }
}
