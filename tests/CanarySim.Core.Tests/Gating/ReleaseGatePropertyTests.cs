using System.Text.Json.Nodes;
using CanarySim.Core.Gating;
using PropertyAttribute = FsCheck.NUnit.PropertyAttribute;
using static CanarySim.Core.Tests.Gating.UatJson;

namespace CanarySim.Core.Tests.Gating;

/// <summary>SPEC §3 first-run-only scoring cannot be gamed by file order or reruns.</summary>
public sealed class ReleaseGatePropertyTests
{
    private static readonly string[] Ids = ["FIN-01", "FIN-02", "SAL-01", "STK-01", "WR-02", "HR-01"];
    private static readonly string[] Roles = [UatWire.Reader, UatWire.Operator];

    // Random rollout raws from a seed: several files, overlapping (case, role) keys at random times (ties included).
    private static List<(string Name, List<JsonObject> Cases)> Files(int seed)
    {
        var rng = new Random(seed);
        var files = new List<(string, List<JsonObject>)>();
        var count = rng.Next(1, 5);
        for (var f = 0; f < count; f++)
        {
            var cases = new List<JsonObject>();
            foreach (var id in Ids)
            {
                foreach (var role in Roles)
                {
                    if (rng.NextDouble() < 0.7)
                    {
                        cases.Add(RandomCase(rng, id, role, null));
                    }
                    if (rng.NextDouble() < 0.2)
                    {
                        cases.Add(RandomCase(rng, id, role, "diagnostic"));
                    }
                }
            }
            if (cases.Count == 0)
            {
                cases.Add(RandomCase(rng, "FIN-01", UatWire.Reader, null));
            }
            files.Add(($"raw{f}.json", cases.OrderBy(_ => rng.Next()).ToList()));
        }
        return files;
    }

    private static JsonObject RandomCase(Random rng, string id, string role, string? runKind) =>
        Case(id, role, minute: rng.Next(0, 6), passed: rng.NextDouble() < 0.8, runKind: runKind,
            latency: rng.NextDouble() < 0.9 ? rng.Next(500, 7000) : null, shapeOk: rng.NextDouble() < 0.9,
            incident: rng.NextDouble() < 0.05, corrected: rng.NextDouble() < 0.15, benchmark: rng.NextDouble() < 0.8 ? "clear" : "ambiguous");

    private static GateReport Gate(IEnumerable<(string Name, List<JsonObject> Cases)> files) =>
        new ReleaseGate().Evaluate(new GateRequest(25, 5000, 0.12, "prop"), files.Select(f => Input(f.Name, f.Cases)).ToList());

    private static string Verdict(GateReport r) =>
        $"{r.OverallGo} {r.NextStage} {r.RollbackAction} {r.Counts.FirstRun} " +
        string.Join(";", r.Checks.Select(c => $"{c.Name}={c.Status}:{c.Value}:{string.Join(",", c.Cases.Select(x => x.CaseId + x.Role + x.Input).Order(StringComparer.Ordinal))}"));

    [Property(MaxTest = 150)]
    public bool Order_of_raw_files_never_changes_the_verdict(int seed, int shuffle)
    {
        var files = Files(seed);
        var rng = new Random(shuffle);
        var shuffled = files.OrderBy(_ => rng.Next()).ToList();
        var a = Gate(files);
        var b = Gate(shuffled);
        return Verdict(a) == Verdict(b) && a.Counts == b.Counts;
    }

    [Property(MaxTest = 150)]
    public bool Adding_a_diagnostic_rerun_never_changes_the_verdict(int seed, int extra, bool newFile)
    {
        var files = Files(seed);
        var before = Gate(files);
        var rng = new Random(extra);
        var rerun = RandomCase(rng, rng.NextDouble() < 0.8 ? Ids[rng.Next(Ids.Length)] : "NEW-01", Roles[rng.Next(2)], rng.NextDouble() < 0.5 ? "diagnostic" : "rerun");
        rerun["started_at"] = T0.AddMinutes(rng.Next(-30, 30)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        if (newFile)
        {
            files.Add(("rerun.json", [rerun]));
        }
        else
        {
            files[rng.Next(files.Count)].Cases.Add(rerun);
        }
        var after = Gate(files);
        return Verdict(before) == Verdict(after)
            && after.Counts.DiagnosticIgnored == before.Counts.DiagnosticIgnored + 1
            && after.Counts.CasesTotal == before.Counts.CasesTotal + 1;
    }

    [Property(MaxTest = 100)]
    public bool Counts_always_add_up(int seed)
    {
        var c = Gate(Files(seed)).Counts;
        return c.CasesTotal == c.FirstRun + c.DiagnosticIgnored + c.Superseded;
    }
}
