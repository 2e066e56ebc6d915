// CanarySim build. Run through ./build.sh --target=<Target> (or build.ps1).
// Targets: Restore, Build, Test, Replay, Simulate, Sweep, Rehearse (default), Coverage, Bench, Reports, Mutate.
#load "test-results.cake"

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

// Debian's postgresql puts initdb/pg_ctl under /usr/lib/postgresql/<major>/bin, not on PATH; the tests look there too.
bool PostgresInstalled() =>
    OnPath("pg_ctl") != null
    || (System.IO.Directory.Exists("/usr/lib/postgresql")
        && System.IO.Directory.GetDirectories("/usr/lib/postgresql").Any(d => System.IO.File.Exists($"{d}/bin/initdb") && System.IO.File.Exists($"{d}/bin/pg_ctl")));

// Test needs Debian's chromium (browser tests), prometheus (promtool lints /metrics; the real-Prometheus tests run the server)
// and postgresql (the fleet-store tests start a throwaway cluster). The WireMock-stubbed engines run on WireMock.Net
// inside the test process: no Java, no Node.
// Install what we can as root on Debian; otherwise say exactly what is missing.
void EnsureSystemPackages()
{
    var wanted = new[] { ("chromium", "chromium"), ("promtool", "prometheus"), ("prometheus", "prometheus") };
    var missing = wanted.Where(w => OnPath(w.Item1) == null).Select(w => w.Item2).Distinct().ToList();
    if (!PostgresInstalled()) missing.Add("postgresql");
    if (missing.Count == 0) { Information("chromium, promtool, prometheus, postgresql: present"); return; }
    if (!IsRoot() || !System.IO.File.Exists("/usr/bin/apt-get"))
    {
        Warning($"Missing Debian packages: {string.Join(", ", missing)}. Install them (apt-get install -y {string.Join(" ", missing)}); the tests that need them fail until then.");
        return;
    }
    Information($"Installing Debian packages: {string.Join(", ", missing)} (apt-get)...");
    var env = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
    // A fresh machine's mirror or network can fail a moment: update and install are tried three times before giving up.
    var code = Retried("apt-get update", () => StartProcess("apt-get", new ProcessSettings { Arguments = "update -qq", EnvironmentVariables = env }));
    if (code != 0) Warning($"apt-get update failed (exit {code}); trying the install with the package lists there are.");
    code = Retried($"apt-get install {string.Join(" ", missing)}", () => StartProcess("apt-get", new ProcessSettings
    {
        Arguments = $"install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=120 {string.Join(" ", missing)}",
        EnvironmentVariables = env,
    }));
    if (code != 0) Warning($"apt-get install {string.Join(" ", missing)} failed; the tests that need them will fail.");
}

// Runs a step that reaches the network up to three times (10 s, then 30 s apart) until it exits 0; its last exit code.
int Retried(string what, Func<int> run)
{
    var code = run();
    foreach (var pause in new[] { 10, 30 })
    {
        if (code == 0) break;
        Warning($"{what} exited {code}; trying again in {pause} s");
        System.Threading.Thread.Sleep(TimeSpan.FromSeconds(pause));
        code = run();
    }
    return code;
}

// Reads every .trx under a folder; returns what fails the run (see test-results.cake): failed or
// nothing passed, a skipped/ignored test not listed in tests/skipped-tests.txt, a test assembly
// that ran nothing, or no feature scenario (class CanarySim.Features.FeatureSuite) run at all.
(TestRunSummary summary, List<string> problems) CheckResults(string dir, params string[] required)
{
    var summary = TestResultsCheck.Read(GetFiles($"{dir}/**/*.trx").Select(f => f.FullPath));
    var allowed = TestResultsCheck.ReadAllowList($"{root}/tests/skipped-tests.txt");
    foreach (var (name, message) in summary.SkippedTests)
    {
        Information($"skipped: {name}" + (allowed.TryGetValue(name, out var why) ? $" (allowed: {why})" : $" — {message}"));
    }
    return (summary, TestResultsCheck.Problems(summary, allowed, summary.ExecutedPerAssembly.Keys.Concat(required).Distinct()));
}

Task("Restore").Does(() =>
{
    if (Retried("dotnet restore", () => Run("dotnet", $"restore \"{solution}\"")) != 0) throw new Exception("dotnet restore failed");
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
    var (summary, problems) = CheckResults(results, "CanarySim.Features.FeatureSuite");
    System.IO.File.WriteAllText($"{results}/summary.txt", summary.Line + "\n");
    Console.WriteLine();
    Console.WriteLine(summary.Line);
    if (code != 0 && problems.Count == 0) problems.Add($"dotnet test exited with {code}");
    if (problems.Count > 0) throw new Exception("tests failed:\n  " + string.Join("\n  ", problems));
});

Task("Features").IsDependentOn("Build").Does(() =>
{
    var results = $"{reports}/features/test-results";
    CleanDirectory(results);
    var code = Run("dotnet", $"test \"{root}/tests/CanarySim.Features\" -c {configuration} --no-build --logger trx --results-directory \"{results}\"");
    var (summary, problems) = CheckResults(results, "CanarySim.Features.FeatureSuite");
    Information($"features: {summary.Line}");
    if (code != 0 && problems.Count == 0) problems.Add($"dotnet test exited with {code}");
    if (problems.Count > 0) Fail("features: " + string.Join("; ", problems) + " (see reports/features/index.html)");
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
// v2 latency +10 % … +80 % from day 9 (450 runs at 30,000 requests each: about 80 s of CPU, so about 40 s on 2 free cores).
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
    EnsureSystemPackages(); // the fleet run starts a throwaway PostgreSQL cluster
    var bench = $"{root}/tests/CanarySim.Benchmarks";
    var filter = Argument("filter", "*");
    var code = Run("dotnet", $"run -c Release --project \"{bench}\" -- --filter \"{filter}\" --artifacts \"{reports}/bench\"");
    if (code != 0) throw new Exception("benchmarks failed");
    code = Run("dotnet", $"run -c Release --no-build --project \"{bench}\" -- loadtest --out \"{reports}/bench/loadtest\"");
    if (code != 0) throw new Exception("guard API load test failed");
    code = Run("dotnet", $"build \"{root}/src/CanarySim.Cli\" -c Release");
    if (code != 0) throw new Exception("CLI build failed");
    // Three serve processes on one PostgreSQL (a throwaway cluster) and two on one SQLite file: kill-switch propagation p50/p99, torn decisions, a SIGKILL
    code = Run("dotnet", $"run -c Release --no-build --project \"{bench}\" -- fleet --cli \"{root}/src/CanarySim.Cli/bin/Release/net10.0/canarysim.dll\" --out \"{reports}/bench\"");
    if (code != 0) throw new Exception("fleet propagation target missed (see reports/bench/fleet.md)");
    code = Run("dotnet", $"run -c Release --no-build --project \"{bench}\" -- simtime --cli \"{root}/src/CanarySim.Cli/bin/Release/net10.0/canarysim.dll\" --out \"{reports}/bench\"");
    if (code != 0) throw new Exception("simulator throughput target missed (see reports/bench/simulation.md)");
    // 200 seeds x 100,000 requests of the 7-week plan with 1 and 2 workers (a loaded machine fails the wall-time target: read the CPU ratio)
    code = Run("dotnet", $"run -c Release --no-build --project \"{bench}\" -- sweeptime --cli \"{root}/src/CanarySim.Cli/bin/Release/net10.0/canarysim.dll\" --out \"{reports}/bench\"");
    if (code != 0) throw new Exception("sweep throughput target missed (see reports/bench/sweep.md)");
});

// Mutation testing of src/CanarySim.Core with Stryker.NET against CanarySim.Core.Tests (slow, so not
// part of Test). --folders=Routing,Rollback narrows what is mutated, --files=RegressionDetector.cs,CheckRules.cs
// further to those files of the folders; each mutant is tested by the tests of the same folders
// (tests/CanarySim.Core.Tests/<Folder>), unless --all-tests=true runs the whole suite (hours on 2 cores:
// every mutant starts a test host). Do not put a Directory.Build.rsp (e.g. -m:1) in the tree: Stryker's
// project analysis then finds no build environment. Writes the HTML report to
// reports/mutation/reports/mutation-report.html, the score per folder to reports/mutation/scores.md
// and an entry on reports/index.html; fails below the break threshold in tests/CanarySim.Core.Tests/stryker-config.json.
Task("Mutate").IsDependentOn("Build").Does(() =>
{
    var folders = Argument("folders", "Routing,Detection,Judging,Rollback,Gating").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    var output = $"{reports}/mutation";
    CleanDirectory(output);
    var files = Argument("files", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    var mutate = string.Join(" ", folders.SelectMany(f => files.Length == 0 ? new[] { $"**/{f}/**/*.cs" } : files.Select(file => $"**/{f}/**/{file}"))
        .Select(pattern => $"--mutate \"{pattern}\""));
    var tests = Argument("all-tests", false) ? "" : $"--test-case-filter \"{string.Join("|", folders.Select(f => $"FullyQualifiedName~CanarySim.Core.Tests.{f}."))}\"";
    var code = Run("dotnet", $"tool run dotnet-stryker --config-file stryker-config.json {mutate} {tests} --output \"{output}\" --skip-version-check", $"{root}/tests/CanarySim.Core.Tests");
    var json = $"{output}/reports/mutation-report.json";
    if (!System.IO.File.Exists(json)) throw new Exception($"Stryker wrote no report (exit {code})");
    var scores = MutationScores(json, folders);
    var table = new System.Text.StringBuilder("| folder | killed | survived | no coverage | timeout | score |\n|---|---|---|---|---|---|\n");
    foreach (var (folder, killed, survived, noCoverage, timeout) in scores)
    {
        var total = killed + survived + noCoverage + timeout;
        table.Append($"| {folder} | {killed} | {survived} | {noCoverage} | {timeout} | {(total == 0 ? "n/a" : $"{100.0 * (killed + timeout) / total:F1} %")} |\n");
    }
    System.IO.File.WriteAllText($"{output}/scores.md", "# Mutation score per folder of src/CanarySim.Core\n\n" + table);
    Information(table.ToString());
    var all = scores.Aggregate((k: 0, s: 0, n: 0, t: 0), (a, x) => (a.k + x.Killed, a.s + x.Survived, a.n + x.NoCoverage, a.t + x.Timeout));
    var score = 100.0 * (all.k + all.t) / Math.Max(1, all.k + all.s + all.n + all.t);
    var summary = new { area = "mutation", title = $"Mutation testing of CanarySim.Core ({string.Join(", ", folders)})", verdict = $"mutation score {score:F1} %", href = "reports/mutation-report.html", ok = code == 0 };
    System.IO.File.WriteAllText($"{output}/mutation.summary.json", System.Text.Json.JsonSerializer.Serialize(summary));
    Canarysim($"report-index --reports \"{reports}\"");
    if (code != 0) throw new Exception($"mutation score {score:F1} % is below the break threshold, or Stryker failed (exit {code}): see reports/mutation/reports/mutation-report.html");
});

// Killed, survived, no-coverage and timed-out mutants per folder from Stryker's JSON report (compile errors and ignored mutants do not count).
List<(string Folder, int Killed, int Survived, int NoCoverage, int Timeout)> MutationScores(string json, IEnumerable<string> folders)
{
    using var doc = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllText(json));
    var result = new List<(string, int, int, int, int)>();
    foreach (var folder in folders)
    {
        int killed = 0, survived = 0, noCoverage = 0, timeout = 0;
        foreach (var file in doc.RootElement.GetProperty("files").EnumerateObject().Where(f => f.Name.Replace('\\', '/').Contains($"/{folder}/")))
        {
            foreach (var mutant in file.Value.GetProperty("mutants").EnumerateArray())
            {
                switch (mutant.GetProperty("status").GetString())
                {
                    case "Killed": killed++; break;
                    case "Survived": survived++; break;
                    case "NoCoverage": noCoverage++; break;
                    case "Timeout": timeout++; break;
                }
            }
        }
        result.Add((folder, killed, survived, noCoverage, timeout));
    }
    return result;
}

// Regenerates features/STEPS.md from the step bindings and the features' own examples (Test and Rehearse run it first).
Task("Steps").IsDependentOn("Build").Does(() =>
{
    var env = new Dictionary<string, string> { ["CANARYSIM_WRITE_STEPS"] = "1" };
    var code = StartProcess("dotnet", new ProcessSettings { Arguments = $"test \"{root}/tests/CanarySim.Features\" -c {configuration} --no-build --filter Name~Step_catalog", WorkingDirectory = root, EnvironmentVariables = env });
    if (code != 0) throw new Exception("step catalog regeneration failed");
});

RunTarget(target);
