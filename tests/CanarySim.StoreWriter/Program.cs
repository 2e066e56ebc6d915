// Test helper for tests/CanarySim.Core.Tests/Storage: appends to a store in a loop and prints one
// line per committed write, so the parent test knows exactly what was acknowledged.
//   usage: CanarySim.StoreWriter <db-path> <writer-name> <iterations (0 = until killed)> [--wait-for-go]
// Prints "ready" once the store is open; with --wait-for-go it then waits for a line "go" on stdin,
// so two writers can be released together. Per iteration i it appends a settings change, an audit
// event and a sample, printing after each commit:
//   settings <sequence> <writer> <i> | audit <writer> <i> | sample <writer> <i>
using System.Globalization;
using CanarySim.Core.Audit;
using CanarySim.Core.Detection;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;
using CanarySim.Storage.Sqlite;

if (args.Length < 3 || !int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations))
{
    Console.Error.WriteLine("usage: CanarySim.StoreWriter <db-path> <writer-name> <iterations (0 = until killed)> [--wait-for-go]");
    return 2;
}
var path = args[0];
var writer = args[1];
var time = TimeProvider.System;

using var store = SqliteStore.Open(path, time);
Console.Out.WriteLine("ready");
Console.Out.Flush();
if (args.Contains("--wait-for-go") && Console.In.ReadLine() != "go")
{
    Console.Error.WriteLine("expected 'go' on stdin");
    return 2;
}

var settings = RouterSettings.Default with { Mode = RouterMode.Canary };
for (var i = 1; iterations == 0 || i <= iterations; i++)
{
    var next = settings with { CanaryPct = i % 101, Phase = writer };
    var change = store.Settings.Commit(latest => new SettingsChange(0, time.GetUtcNow(), writer, SettingsChangeKind.Config, $"{writer} {i}", latest.Settings, next, [$"breach {i}"], writer))!;
    settings = next;
    Console.Out.WriteLine($"settings {change.Sequence} {writer} {i}");

    store.Audit.Append(new AuditEvent(time.GetUtcNow(), "writer_test", $$"""{"writer":"{{writer}}","i":{{i}}}"""));
    Console.Out.WriteLine($"audit {writer} {i}");

    store.Samples.Add(new Sample { Engine = Engine.V2, At = time.GetUtcNow(), LatencyMs = i, Quality = 90, Agent = writer, Tokens = i });
    Console.Out.WriteLine($"sample {writer} {i}");
    Console.Out.Flush();
}
return 0;
