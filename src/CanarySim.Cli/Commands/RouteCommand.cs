using System.Buffers;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CanarySim.Core;
using CanarySim.Core.Routing;

namespace CanarySim.Cli.Commands;

/// <summary>
/// <c>canarysim route --key K [--user U] --pct P [--salt S] [--algorithm A] [--mode M]
/// [--kill-switch] [--json]</c> prints one decision; <c>--batch F.jsonl</c> routes one JSON object
/// per line (<c>key</c>, <c>user</c>, <c>segment</c>, <c>pct</c>, <c>salt</c>, <c>algorithm</c>,
/// <c>mode</c>, <c>kill_switch</c>; a missing field takes the command-line value, any other field is an error) and writes one
/// decision per line in order. A bad line → its line number on stderr, exit 2, nothing on stdout.
/// </summary>
internal static class RouteCommand
{
    public static Command Create(CliIo io)
    {
        var key = new Option<string?>("--key") { Description = "Session id (the bucketing key)." };
        var user = new Option<string?>("--user") { Description = "User id (fallback key, cohort membership)." };
        var pct = new Option<double?>("--pct") { Description = "Canary percentage, 0–100 (out of range, NaN or non-numeric is rejected).", CustomParser = Percentage };
        var salt = new Option<string?>("--salt") { Description = "Bucketing salt (groupId for unleash, feature name for featuremanagement, '{flagKey}.{flagSalt}' for launchdarkly). Default: canarysim." };
        var algorithm = new Option<BucketingAlgorithm?>("--algorithm") { Description = "Bucketing: canarysim (default), unleash, featuremanagement, launchdarkly.", CustomParser = Algorithm, HelpName = string.Join('|', WireName.All<BucketingAlgorithm>()) };
        var mode = new Option<RouterMode?>("--mode") { Description = "primary, shadow, canary, candidate. Default: canary when a percentage above 0 is given, else primary.", CustomParser = Mode, HelpName = string.Join('|', WireName.All<RouterMode>()) };
        var killSwitch = new Option<bool>("--kill-switch") { Description = "Kill switch on: everything goes to v1." };
        var segment = new Option<string?>("--segment") { Description = "Request segment (e.g. agent type)." };
        var seed = new Option<int?>("--seed") { Description = "Seed of the random source for unkeyed requests." };
        var batch = new Option<FileInfo?>("--batch") { Description = $"JSON Lines file: one request object per line (fields {string.Join(", ", RouteLines.Fields)}; others are rejected); writes one decision per line." };
        var json = new Option<bool>("--json") { Description = "Machine-readable JSON output." };
        var command = new Command("route",
            "One routing decision (or one per line with --batch): selected engine, reason, bucket, canary_pct, kill_switch, mode.\n" +
            "Exit codes: 0 = decided; 2 = bad input or usage (with --batch: the line and the field are named).")
        {
            key, user, pct, salt, algorithm, mode, killSwitch, segment, seed, batch, json,
        };
        command.SetAction(parse =>
        {
            var defaults = new RouteLineDefaults
            {
                Key = parse.GetValue(key),
                User = parse.GetValue(user),
                Segment = parse.GetValue(segment),
                Pct = parse.GetValue(pct),
                Salt = parse.GetValue(salt) ?? RouterSettings.Default.Salt,
                Algorithm = parse.GetValue(algorithm) ?? BucketingAlgorithm.CanarySim,
                Mode = parse.GetValue(mode),
                KillSwitch = parse.GetValue(killSwitch),
            };
            var lines = new RouteLines(defaults, parse.GetValue(seed) is { } s ? new Random(s) : Random.Shared);
            var file = parse.GetValue(batch);
            return file is null ? RouteOne(io, lines, parse.GetValue(json)) : RouteBatch(io, lines, file);
        });
        return command;
    }

    private static double? Percentage(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && RouteLines.IsPercentage(value))
        {
            return value;
        }
        result.AddError($"--pct: expected a number between 0 and 100, got '{text}'.");
        return null;
    }

    private static BucketingAlgorithm? Algorithm(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (WireName.TryParseIgnoreCase<BucketingAlgorithm>(text, out var algorithm))
        {
            return algorithm;
        }
        result.AddError($"--algorithm: expected one of {string.Join(", ", WireName.All<BucketingAlgorithm>())}, got '{text}'.");
        return null;
    }

    private static RouterMode? Mode(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (WireName.TryParseIgnoreCase<RouterMode>(text, out var mode))
        {
            return mode;
        }
        result.AddError($"--mode: expected one of primary, shadow, canary, candidate, got '{text}'.");
        return null;
    }

    private static int RouteOne(CliIo io, RouteLines lines, bool json)
    {
        var decision = lines.RouteDefaults(out var request);
        if (json)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                RouteLines.WriteDecision(writer, request, decision);
            }
            io.Out.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
        else
        {
            var bucket = decision.Bucket is { } b ? b.ToString(CultureInfo.InvariantCulture) : "-";
            io.Out.WriteLine(
                $"{WireName.Of(decision.Selected)} reason={WireName.Of(decision.Reason)} bucket={bucket} canary_pct={decision.CanaryPct.ToString(CultureInfo.InvariantCulture)} " +
                $"mode={WireName.Of(decision.Mode)} kill_switch={(decision.KillSwitch ? "true" : "false")} algorithm={WireName.Of(decision.Algorithm)}{(decision.Unkeyed ? " unkeyed" : "")}");
        }
        return CanarySimCli.Ok;
    }

    private static int RouteBatch(CliIo io, RouteLines lines, FileInfo file)
    {
        if (io.RefuseMissing(file, "--batch: file") is { } refused)
        {
            return refused;
        }
        // Every line is checked before the first decision is written, so a bad line never leaves partial output that looks like success.
        using (var check = OpenRead(file))
        {
            if (!lines.TryCheckAll(check, out var badLine, out var error))
            {
                return io.UsageError($"{file.FullName}:{badLine}: {error}");
            }
        }
        using var input = OpenRead(file);
        if (ReferenceEquals(io.Out, Console.Out))
        {
            // Real stdout: UTF-8 bytes straight through (Console.Out's small buffer would cost a write per 256 bytes).
            io.Out.Flush();
            using var stdout = Console.OpenStandardOutput();
            lines.RouteAll(input, stdout);
            return CanarySimCli.Ok;
        }
        using var decisions = new MemoryStream();
        lines.RouteAll(input, decisions);
        io.Out.Write(Encoding.UTF8.GetString(decisions.GetBuffer(), 0, (int)decisions.Length));
        io.Out.Flush();
        return CanarySimCli.Ok;
    }

    private static FileStream OpenRead(FileInfo file) =>
        new(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
}
