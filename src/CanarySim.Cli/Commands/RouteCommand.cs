using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CanarySim.Core.Routing;

namespace CanarySim.Cli.Commands;

/// <summary>
/// <c>canarysim route --key K [--user U] --pct P [--salt S] [--algorithm A] [--mode M]
/// [--kill-switch] [--json]</c> prints one decision; <c>--batch F.jsonl</c> routes one JSON object
/// per line (<c>key</c>, <c>user</c>, <c>segment</c>, <c>pct</c>, <c>salt</c>, <c>algorithm</c>,
/// <c>mode</c>, <c>kill_switch</c>; a missing field takes the command-line value) and writes one
/// decision per line in order. A bad line → its line number on stderr, exit 2, nothing on stdout.
/// </summary>
internal static class RouteCommand
{
    public static Command Create(CliIo io)
    {
        var key = new Option<string?>("--key") { Description = "Session id (the bucketing key)." };
        var user = new Option<string?>("--user") { Description = "User id (fallback key, cohort membership)." };
        var pct = new Option<string?>("--pct") { Description = "Canary percentage, 0–100 (out of range, NaN or non-numeric is rejected)." };
        var salt = new Option<string?>("--salt") { Description = "Bucketing salt (groupId for unleash, feature name for featuremanagement, '{flagKey}.{flagSalt}' for launchdarkly). Default: canarysim." };
        var algorithm = new Option<string?>("--algorithm") { Description = "Bucketing: canarysim (default), unleash, featuremanagement, launchdarkly." };
        var mode = new Option<string?>("--mode") { Description = "primary, shadow, canary, candidate. Default: canary when a percentage is given, else primary." };
        var killSwitch = new Option<bool>("--kill-switch") { Description = "Kill switch on: everything goes to v1." };
        var segment = new Option<string?>("--segment") { Description = "Request segment (e.g. agent type)." };
        var seed = new Option<int?>("--seed") { Description = "Seed of the random source for unkeyed requests." };
        var batch = new Option<FileInfo?>("--batch") { Description = "JSON Lines file: one request object per line; writes one decision per line." };
        var json = new Option<bool>("--json") { Description = "Machine-readable JSON output." };
        var command = new Command("route", "One routing decision (or one per line with --batch).")
        {
            key, user, pct, salt, algorithm, mode, killSwitch, segment, seed, batch, json,
        };
        command.SetAction(parse =>
        {
            try
            {
                return Run(parse);
            }
            catch (CliUsageException ex)
            {
                // Handled here: System.CommandLine's own exception handler would print a stack trace and exit 1.
                return io.UsageError(ex.Message);
            }
        });
        return command;

        int Run(ParseResult parse)
        {
            var defaults = new LineDefaults
            {
                Key = parse.GetValue(key),
                User = parse.GetValue(user),
                Segment = parse.GetValue(segment),
                Salt = parse.GetValue(salt) ?? RouterSettings.Default.Salt,
                KillSwitch = parse.GetValue(killSwitch),
            };
            if (parse.GetValue(pct) is { } pctText)
            {
                defaults.Pct = ParsePct(pctText) ?? throw new CliUsageException($"--pct: expected a number between 0 and 100, got '{pctText}'.");
            }
            if (parse.GetValue(algorithm) is { } algorithmText)
            {
                defaults.Algorithm = BucketingAlgorithms.TryParse(algorithmText, out var a)
                    ? a
                    : throw new CliUsageException($"--algorithm: expected one of {string.Join(", ", BucketingAlgorithms.WireNames)}, got '{algorithmText}'.");
            }
            if (parse.GetValue(mode) is { } modeText)
            {
                defaults.Mode = RouterModeNames.TryParse(modeText, out var m)
                    ? m
                    : throw new CliUsageException($"--mode: expected one of primary, shadow, canary, candidate, got '{modeText}'.");
            }
            var random = parse.GetValue(seed) is { } s ? new Random(s) : Random.Shared;
            var routers = new Routers(random);
            var file = parse.GetValue(batch);
            return file is null
                ? RouteOne(io, routers, defaults, parse.GetValue(json))
                : RouteBatch(io, routers, defaults, file);
        }
    }

    private static double? ParsePct(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && ValidPct(v) ? v : null;

    private static bool ValidPct(double v) => !double.IsNaN(v) && v >= 0 && v <= 100;

    private static int RouteOne(CliIo io, Routers routers, LineDefaults d, bool json)
    {
        var settings = d.ToSettings(d.Pct, d.Salt, d.Mode, d.KillSwitch);
        var request = new RouteRequest(d.Key, d.User, d.Segment);
        var decision = routers.For(d.Algorithm).Route(request, settings);
        if (json)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                WriteDecision(writer, request, decision);
            }
            io.Out.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
        else
        {
            var bucket = decision.Bucket is { } b ? b.ToString(CultureInfo.InvariantCulture) : "-";
            io.Out.WriteLine(
                $"{decision.Selected.ToWire()} reason={decision.Reason.ToWire()} bucket={bucket} canary_pct={decision.CanaryPct.ToString(CultureInfo.InvariantCulture)} " +
                $"mode={decision.Mode.ToWire()} kill_switch={(decision.KillSwitch ? "true" : "false")} algorithm={decision.Algorithm.ToWire()}{(decision.Unkeyed ? " unkeyed" : "")}");
        }
        return CanarySimCli.Ok;
    }

    private static void WriteDecision(Utf8JsonWriter writer, in RouteRequest request, in RouteDecision decision)
    {
        writer.WriteStartObject();
        if (request.Key is { } k)
        {
            writer.WriteString("key"u8, k);
        }
        else
        {
            writer.WriteNull("key"u8);
        }
        RouteEventJson.WriteFields(writer, decision);
        writer.WriteEndObject();
    }

    private static int RouteBatch(CliIo io, Routers routers, LineDefaults d, FileInfo file)
    {
        if (!file.Exists)
        {
            return io.UsageError($"--batch: file '{file.FullName}' does not exist.");
        }
        // Decisions go to a temp file first and reach stdout only when every line routed,
        // so a bad line never leaves partial output that looks like success.
        var tempPath = Path.Combine(Path.GetTempPath(), $"canarysim-route-{Environment.ProcessId}-{Guid.NewGuid():N}.jsonl");
        using var temp = new FileStream(tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        using (var input = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            // One reusable writer over an in-memory buffer, spilled to the temp file in large chunks
            // (flushing a Utf8JsonWriter bound to a FileStream would cost a syscall per line).
            var buffer = new ArrayBufferWriter<byte>(1 << 20);
            using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
            var parser = new LineParser(d, routers);
            var reader = new LineSplitter(input);
            var lineNumber = 0;
            while (reader.TryReadLine(out var line))
            {
                lineNumber++;
                if (IsBlank(line))
                {
                    continue;
                }
                if (!parser.TryRoute(line, out var request, out var decision, out var error))
                {
                    return io.UsageError($"{file.FullName}:{lineNumber}: {error}");
                }
                WriteDecision(writer, request, decision);
                writer.Flush();
                writer.Reset();
                buffer.GetSpan(1)[0] = (byte)'\n';
                buffer.Advance(1);
                if (buffer.WrittenCount >= (1 << 20) - 4096)
                {
                    temp.Write(buffer.WrittenSpan);
                    buffer.ResetWrittenCount();
                }
            }
            temp.Write(buffer.WrittenSpan);
        }
        temp.Position = 0;
        if (ReferenceEquals(io.Out, Console.Out))
        {
            // Real stdout: copy the UTF-8 bytes straight through (Console.Out's small buffer would cost a syscall per 256 bytes).
            io.Out.Flush();
            using var stdout = Console.OpenStandardOutput();
            temp.CopyTo(stdout, 1 << 20);
            stdout.Flush();
            return CanarySimCli.Ok;
        }
        using var text = new StreamReader(temp, Encoding.UTF8, false, 1 << 16);
        var chars = new char[1 << 15];
        int n;
        while ((n = text.Read(chars, 0, chars.Length)) > 0)
        {
            io.Out.Write(chars, 0, n);
        }
        io.Out.Flush();
        return CanarySimCli.Ok;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Command-line values every batch line falls back to.</summary>
    private sealed class LineDefaults
    {
        public string? Key { get; set; }
        public string? User { get; set; }
        public string? Segment { get; set; }
        public double? Pct { get; set; }
        public string Salt { get; set; } = RouterSettings.Default.Salt;
        public BucketingAlgorithm Algorithm { get; set; } = BucketingAlgorithm.CanarySim;
        public RouterMode? Mode { get; set; }
        public bool KillSwitch { get; set; }

        // The mode defaults to canary when a percentage is given.
        public RouterSettings ToSettings(double? pct, string salt, RouterMode? mode, bool killSwitch) => new()
        {
            CanaryPct = pct ?? 0,
            Salt = salt,
            Mode = mode ?? (pct is null ? RouterMode.Primary : RouterMode.Canary),
            KillSwitch = killSwitch,
        };
    }

    /// <summary>One router per algorithm, each evaluated against per-line snapshots.</summary>
    private sealed class Routers(Random random)
    {
        private readonly CanaryRouter?[] _routers = new CanaryRouter?[4];
        private readonly LiveSettings _live = new();

        public CanaryRouter For(BucketingAlgorithm algorithm) =>
            _routers[(int)algorithm] ??= new CanaryRouter(_live, new RouterOptions { Algorithm = algorithm, Random = random });
    }

    /// <summary>Parses one JSON line and routes it; reuses the settings snapshot while consecutive lines agree.</summary>
    private sealed class LineParser(LineDefaults defaults, Routers routers)
    {
        private RouterSettings? _lastSettings;
        private (double? Pct, string Salt, RouterMode? Mode, bool Kill) _lastKey;

        public bool TryRoute(ReadOnlySpan<byte> line, out RouteRequest request, out RouteDecision decision, out string error)
        {
            request = default;
            decision = default;
            string? key = defaults.Key, user = defaults.User, segment = defaults.Segment, salt = null;
            var pct = defaults.Pct;
            var algorithm = defaults.Algorithm;
            var mode = defaults.Mode;
            var kill = defaults.KillSwitch;
            try
            {
                var reader = new Utf8JsonReader(line);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    error = "expected a JSON object per line.";
                    return false;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var field = reader;
                    reader.Read();
                    if (field.ValueTextEquals("key"u8)) { if (!ReadString(ref reader, "key", out key, out error)) { return false; } }
                    else if (field.ValueTextEquals("user"u8)) { if (!ReadString(ref reader, "user", out user, out error)) { return false; } }
                    else if (field.ValueTextEquals("segment"u8)) { if (!ReadString(ref reader, "segment", out segment, out error)) { return false; } }
                    else if (field.ValueTextEquals("salt"u8))
                    {
                        if (!ReadString(ref reader, "salt", out salt, out error)) { return false; }
                        if (salt is null) { error = "field 'salt': expected a string."; return false; }
                    }
                    else if (field.ValueTextEquals("pct"u8))
                    {
                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var p) || !ValidPct(p))
                        {
                            error = $"field 'pct': expected a number between 0 and 100, got {Raw(ref reader)}.";
                            return false;
                        }
                        pct = p;
                    }
                    else if (field.ValueTextEquals("algorithm"u8))
                    {
                        if (reader.TokenType != JsonTokenType.String || !TryParseAlgorithm(ref reader, out algorithm))
                        {
                            error = $"field 'algorithm': expected one of {string.Join(", ", BucketingAlgorithms.WireNames)}, got {Raw(ref reader)}.";
                            return false;
                        }
                    }
                    else if (field.ValueTextEquals("mode"u8))
                    {
                        if (reader.TokenType != JsonTokenType.String || !RouterModeNames.TryParse(reader.GetString(), out var m))
                        {
                            error = $"field 'mode': expected one of primary, shadow, canary, candidate, got {Raw(ref reader)}.";
                            return false;
                        }
                        mode = m;
                    }
                    else if (field.ValueTextEquals("kill_switch"u8))
                    {
                        if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                        {
                            error = $"field 'kill_switch': expected true or false, got {Raw(ref reader)}.";
                            return false;
                        }
                        kill = reader.GetBoolean();
                    }
                    else
                    {
                        reader.Skip(); // unknown fields are ignored
                    }
                }
                if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                {
                    error = "expected exactly one JSON object on the line.";
                    return false;
                }
            }
            catch (JsonException ex)
            {
                error = $"malformed JSON: {ex.Message}";
                return false;
            }

            salt ??= defaults.Salt;
            var settingsKey = (pct, salt, mode, kill);
            if (_lastSettings is null || !_lastKey.Equals(settingsKey))
            {
                _lastSettings = defaults.ToSettings(pct, salt, mode, kill);
                _lastKey = settingsKey;
            }
            request = new RouteRequest(key, user, segment);
            decision = routers.For(algorithm).Route(request, _lastSettings);
            error = "";
            return true;
        }

        private static bool TryParseAlgorithm(ref Utf8JsonReader reader, out BucketingAlgorithm algorithm)
        {
            Span<char> text = stackalloc char[32];
            if (reader.HasValueSequence || reader.ValueSpan.Length > text.Length)
            {
                algorithm = default;
                return false;
            }
            var n = reader.CopyString(text);
            return BucketingAlgorithms.TryParse(text[..n], out algorithm);
        }

        private static bool ReadString(ref Utf8JsonReader reader, string field, out string? value, out string error)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                value = null;
                error = "";
                return true;
            }
            if (reader.TokenType != JsonTokenType.String)
            {
                value = null;
                error = $"field '{field}': expected a string, got {Raw(ref reader)}.";
                return false;
            }
            value = reader.GetString();
            error = "";
            return true;
        }

        private static string Raw(ref Utf8JsonReader reader) => reader.TokenType switch
        {
            JsonTokenType.StartObject => "an object",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.String => $"'{reader.GetString()}'",
            _ => Encoding.UTF8.GetString(reader.ValueSpan),
        };
    }

    /// <summary>Splits a byte stream into lines ('\n'; a trailing '\r' is left for the blank check / JSON reader as whitespace).</summary>
    private sealed class LineSplitter(Stream stream)
    {
        private byte[] _buffer = new byte[1 << 16];
        private int _start;
        private int _end;
        private bool _eof;

        public bool TryReadLine(out ReadOnlySpan<byte> line)
        {
            while (true)
            {
                var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    line = _buffer.AsSpan(_start, newline);
                    _start += newline + 1;
                    return true;
                }
                if (_eof)
                {
                    if (_start < _end)
                    {
                        line = _buffer.AsSpan(_start, _end - _start);
                        _start = _end;
                        return true;
                    }
                    line = default;
                    return false;
                }
                Fill();
            }
        }

        private void Fill()
        {
            var remaining = _end - _start;
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, remaining);
                _start = 0;
                _end = remaining;
            }
            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var read = stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _eof = true;
            }
            _end += read;
        }
    }
}
