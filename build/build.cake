// CanarySim build. Run through ./build.sh --target=<Target> (or build.ps1).
// Targets: Restore, Build, Test, Replay, Simulate, Sweep, Rehearse (default), Coverage, Bench, Reports.
using System.Xml.Linq;

var target = Argument("target", "Rehearse");
var configuration = Argument("configuration", "Release");
var root = MakeAbsolute(Directory("..")).FullPath;
var reports = $"{root}/reports";
var solution = $"{root}/CanarySim.sln";
var cli = $"{root}/src/CanarySim.Cli/bin/{configuration}/net10.0/canarysim.dll";

// Rehearse keeps going after a failing part so every report still lands in reports/index.html;
// the failures are collected here and fail the build at the end.
var failures = new List<string>();

void Fail(string message)
{
    if (target == "Rehearse") { Error(message); failures.Add(message); }
    else throw new Exception(message);
}

int Run(string file, string args, string workdir = null)
{
    Information($"> {file} {args}");
    return StartProcess(file, new ProcessSettings { Arguments = args, WorkingDirectory = workdir ?? root });
}

void Canarysim(string args, bool allowNegative = false)
{
    var code = Run("dotnet", $"\"{cli}\" {args}");
    if (code != 0 && !(allowNegative && code == 1))
    {
        Fail($"canarysim {args} exited with {code}");
    }
}

bool IsRoot() => Environment.UserName == "root";

string OnPath(string name) =>
    (EnvironmentVariable("PATH") ?? "").Split(':').Select(d => System.IO.Path.Combine(d, name)).FirstOrDefault(System.IO.File.Exists);

// Test needs Debian's chromium (browser tests) and prometheus (promtool lints /metrics; the real-Prometheus tests run the server); WireMock needs java + npm.
// Install what we can as root on Debian; otherwise say exactly what is missing.
void EnsureSystemPackages()
{
    var wanted = new[] { ("chromium", "chromium"), ("promtool", "prometheus"), ("prometheus", "prometheus") };
    var missing = wanted.Where(w => OnPath(w.Item1) == null).Select(w => w.Item2).Distinct().ToList();
    foreach (var tool in new[] { "java", "npm" })
    {
        if (OnPath(tool) == null) Warning($"{tool} is not on PATH: the WireMock-stubbed engines need Java 17 and Node/npm.");
    }
    if (missing.Count == 0) { Information("chromium, promtool, prometheus: present"); return; }
    if (!IsRoot() || !System.IO.File.Exists("/usr/bin/apt-get"))
    {
        Warning($"Missing Debian packages: {string.Join(", ", missing)}. Install them (apt-get install -y {string.Join(" ", missing)}); the tests that need them fail until then.");
        return;
    }
    Information($"Installing Debian packages: {string.Join(", ", missing)} (apt-get)...");
    var env = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
    StartProcess("apt-get", new ProcessSettings { Arguments = "update -qq", EnvironmentVariables = env });
    var code = StartProcess("apt-get", new ProcessSettings { Arguments = $"install -y -qq --no-install-recommends {string.Join(" ", missing)}", EnvironmentVariables = env });
    if (code != 0) Warning($"apt-get install {string.Join(" ", missing)} failed; the tests that need them will fail.");
}

// Sums every .trx under a folder and prints the closing line CI reads.
(int passed, int failed, int skipped) Summarize(string dir)
{
    int passed = 0, failed = 0, skipped = 0;
    foreach (var trx in GetFiles($"{dir}/**/*.trx"))
    {
        var doc = XDocument.Load(trx.FullPath);
        var counters = doc.Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters");
        if (counters == null) continue;
        int Get(string name) => int.TryParse((string)counters.Attribute(name), out var v) ? v : 0;
        passed += Get("passed");
        failed += Get("failed") + Get("error") + Get("timeout") + Get("aborted");
        skipped += Get("notExecuted") + Get("inconclusive");
    }
    return (passed, failed, skipped);
}

Task("Restore").Does(() =>
{
    if (Run("dotnet", $"restore \"{solution}\"") != 0) throw new Exception("dotnet restore failed");
});

Task("Build").IsDependentOn("Restore").Does(() =>
{
    if (Run("dotnet", $"build \"{solution}\" -c {configuration} --no-restore -nologo") != 0) throw new Exception("build failed");
});

Task("Test").IsDependentOn("Steps").Does(() =>
{
    EnsureSystemPackages();
    var results = $"{reports}/test-results";
    CleanDirectory(results);
    var code = Run("dotnet", $"test \"{solution}\" -c {configuration} --no-build --logger trx --results-directory \"{results}\" -- NUnit.DefaultTimeout=300000");
    var (passed, failed, skipped) = Summarize(results);
    var line = $"{passed} passed, {failed} failed, {skipped} skipped";
    System.IO.File.WriteAllText($"{results}/summary.txt", line + "\n");
    Console.WriteLine();
    Console.WriteLine(line);
    if (code != 0 || failed > 0 || passed == 0) throw new Exception($"tests failed (dotnet test exit {code})");
});

Task("Features").IsDependentOn("Build").Does(() =>
{
    var results = $"{reports}/features/test-results";
    CleanDirectory(results);
    var code = Run("dotnet", $"test \"{root}/tests/CanarySim.Features\" -c {configuration} --no-build --logger trx --results-directory \"{results}\"");
    var (passed, failed, skipped) = Summarize(results);
    Information($"features: {passed} passed, {failed} failed, {skipped} skipped");
    if (code != 0 || failed > 0) Fail($"{failed} feature scenario(s) failed: see reports/features/index.html");
});

Task("Replay").IsDependentOn("Build").Does(() =>
{
    Canarysim($"replay --fixtures \"{root}/fixtures/uat\" --out \"{reports}/gate\"");
});

Task("Simulate").IsDependentOn("Build").Does(() =>
{
    foreach (var plan in GetFiles($"{root}/fixtures/plans/*.yaml").Concat(GetFiles($"{root}/fixtures/plans/*.json")))
    {
        var name = plan.GetFilenameWithoutExtension().FullPath;
        Canarysim($"simulate --plan \"{plan.FullPath}\" --seed 42 --out \"{reports}/simulations/{name}\"", allowNegative: true);
    }
    // The weekly rollup of the 7-week planner rollout's audit log (seed 001, PR3).
    var audit = $"{reports}/simulations/planner-7-week/planner-7-week.audit.jsonl";
    if (System.IO.File.Exists(audit))
    {
        Canarysim($"rollup --audit \"{audit}\" --out \"{reports}/rollup\"");
    }
});

// One small policy power analysis for the published site: 50 seeds of the latency-regression plan, healthy and with
// v2 latency +10 % … +80 % from day 9 (450 runs at 30,000 requests each: well under a minute on 2 free cores).
Task("Sweep").IsDependentOn("Build").Does(() =>
{
    Canarysim($"sweep --plan \"{root}/fixtures/plans/planner-latency-regression.yaml\" --seeds 1-50 --requests 30000 " +
              $"--inject \"v2.latency+10%..+80% step 10% at day 9\" --out \"{reports}/sweeps/planner-latency-regression\"");
});

Task("Reports").Does(() =>
{
    EnsureDirectoryExists(reports);
    Canarysim($"report-index --reports \"{reports}\"");
});

Task("Rehearse")
    .IsDependentOn("Steps")
    .IsDependentOn("Features")
    .IsDependentOn("Replay")
    .IsDependentOn("Simulate")
    .IsDependentOn("Sweep")
    .Does(() =>
    {
        Canarysim($"report-index --reports \"{reports}\"");
        Information($"Open {reports}/index.html");
        if (failures.Count > 0) throw new Exception($"Rehearse finished with {failures.Count} failure(s):\n  " + string.Join("\n  ", failures));
    });

Task("Coverage").IsDependentOn("Build").Does(() =>
{
    var results = $"{reports}/coverage-results";
    CleanDirectory(results);
    Run("dotnet", $"test \"{solution}\" -c {configuration} --no-build --collect \"XPlat Code Coverage\" --results-directory \"{results}\"");
    if (Run("dotnet", $"tool run reportgenerator -reports:\"{results}/**/coverage.cobertura.xml\" -targetdir:\"{reports}/coverage\" -reporttypes:\"Html;TextSummary\"") != 0)
        throw new Exception("reportgenerator failed");
    Information(System.IO.File.ReadAllText($"{reports}/coverage/Summary.txt"));
    RunTarget("Reports");
});

Task("Bench").Does(() =>
{
    var bench = $"{root}/tests/CanarySim.Benchmarks";
    var filter = Argument("filter", "*");
    var code = Run("dotnet", $"run -c Release --project \"{bench}\" -- --filter \"{filter}\" --artifacts \"{reports}/bench\"");
    if (code != 0) throw new Exception("benchmarks failed");
    code = Run("dotnet", $"run -c Release --no-build --project \"{bench}\" -- loadtest --out \"{reports}/bench/loadtest\"");
    if (code != 0) throw new Exception("guard API load test failed");
    code = Run("dotnet", $"build \"{root}/src/CanarySim.Cli\" -c Release");
    if (code != 0) throw new Exception("CLI build failed");
    code = Run("dotnet", $"run -c Release --no-build --project \"{bench}\" -- simtime --cli \"{root}/src/CanarySim.Cli/bin/Release/net10.0/canarysim.dll\" --out \"{reports}/bench\"");
    if (code != 0) throw new Exception("simulator throughput target missed (see reports/bench/simulation.md)");
});

// Regenerates features/STEPS.md from the step bindings and the features' own examples (Test and Rehearse run it first).
Task("Steps").IsDependentOn("Build").Does(() =>
{
    var env = new Dictionary<string, string> { ["CANARYSIM_WRITE_STEPS"] = "1" };
    var code = StartProcess("dotnet", new ProcessSettings { Arguments = $"test \"{root}/tests/CanarySim.Features\" -c {configuration} --no-build --filter Name~Step_catalog", WorkingDirectory = root, EnvironmentVariables = env });
    if (code != 0) throw new Exception("step catalog regeneration failed");
});

RunTarget(target);
