using System.Buffers;
using System.Text;
using System.Text.Json;
using CanarySim.Core.Documents;

namespace CanarySim.Core.Routing;

/// <summary>
/// Routes requests given as one JSON object per line — <c>key</c>, <c>user</c>, <c>segment</c>, <c>pct</c>,
/// <c>salt</c>, <c>algorithm</c>, <c>mode</c>, <c>kill_switch</c>, each optional (a missing field takes the
/// <see cref="RouteLineDefaults"/> value), any other field rejected as the API rejects it — through one real
/// <see cref="CanaryRouter"/> per bucketing algorithm, and writes each decision as one JSON object.
/// </summary>
public sealed class RouteLines
{
    /// <summary>The fields a line may have.</summary>
    public static IReadOnlyList<string> Fields { get; } = ["key", "user", "segment", "pct", "salt", "algorithm", "mode", "kill_switch"];

    private readonly RouteLineDefaults _defaults;
    private readonly CanaryRouter?[] _routers = new CanaryRouter?[4];
    private readonly LiveSettings _live = new();
    private readonly Random _random;
    private RouterSettings? _lastSettings;
    private (double? Pct, string Salt, RouterMode? Mode, bool Kill) _lastKey;

    /// <summary>Routes with <paramref name="defaults"/>; unkeyed requests draw from <paramref name="random"/>.</summary>
    public RouteLines(RouteLineDefaults defaults, Random random)
    {
        _defaults = defaults ?? throw new ArgumentNullException(nameof(defaults));
        _random = random ?? throw new ArgumentNullException(nameof(random));
    }

    /// <summary>Routes the defaults' own request.</summary>
    public RouteDecision RouteDefaults(out RouteRequest request)
    {
        var d = _defaults;
        request = new RouteRequest(d.Key, d.User, d.Segment);
        return RouterFor(d.Algorithm).Route(request, RouteLineDefaults.Settings(d.Pct, d.Salt, d.Mode, d.KillSwitch));
    }

    /// <summary>Parses one line (UTF-8) and routes it; on a bad line returns false with <paramref name="error"/> naming the field.</summary>
    public bool TryRoute(ReadOnlySpan<byte> line, out RouteRequest request, out RouteDecision decision, out string error) =>
        TryRead(line, route: true, out request, out decision, out error);

    /// <summary>
    /// Checks every line of <paramref name="input"/> (UTF-8 JSON Lines; blank lines are skipped) without routing;
    /// false with the 1-based number of the first bad line and what is wrong with it.
    /// </summary>
    public bool TryCheckAll(Stream input, out int badLine, out string error)
    {
        ArgumentNullException.ThrowIfNull(input);
        var lines = new ByteLines(input);
        badLine = 0;
        while (lines.TryRead(out var line))
        {
            badLine++;
            if (!ByteLines.IsBlank(line) && !TryRead(line, route: false, out _, out _, out error))
            {
                return false;
            }
        }
        badLine = 0;
        error = "";
        return true;
    }

    /// <summary>
    /// Routes every line of <paramref name="input"/> (UTF-8 JSON Lines; blank lines are skipped) and writes one decision
    /// per line to <paramref name="output"/> (JSON Lines, in order). Check the input first (<see cref="TryCheckAll"/>)
    /// when nothing may be written unless every line routes.
    /// </summary>
    /// <exception cref="FormatException">A line is bad (its number and what is wrong with it).</exception>
    public void RouteAll(Stream input, Stream output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        const int chunk = 1 << 20;
        // One reusable writer over an in-memory buffer, written out in large chunks
        // (flushing a Utf8JsonWriter bound to the output stream would cost a write per line).
        var buffer = new ArrayBufferWriter<byte>(chunk);
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        var lines = new ByteLines(input);
        var number = 0;
        while (lines.TryRead(out var line))
        {
            number++;
            if (ByteLines.IsBlank(line))
            {
                continue;
            }
            if (!TryRoute(line, out var request, out var decision, out var error))
            {
                throw new FormatException($"line {number}: {error}");
            }
            WriteDecision(writer, request, decision);
            writer.Flush();
            writer.Reset();
            buffer.GetSpan(1)[0] = (byte)'\n';
            buffer.Advance(1);
            if (buffer.WrittenCount >= chunk - 4096)
            {
                output.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
            }
        }
        output.Write(buffer.WrittenSpan);
        output.Flush();
    }

    private bool TryRead(ReadOnlySpan<byte> line, bool route, out RouteRequest request, out RouteDecision decision, out string error)
    {
        request = default;
        decision = default;
        var d = _defaults;
        string? key = d.Key, user = d.User, segment = d.Segment, salt = null;
        var pct = d.Pct;
        var algorithm = d.Algorithm;
        var mode = d.Mode;
        var kill = d.KillSwitch;
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
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var p) || !IsPercentage(p))
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
                        error = $"field 'algorithm': expected one of {string.Join(", ", WireName.All<BucketingAlgorithm>())}, got {Raw(ref reader)}.";
                        return false;
                    }
                }
                else if (field.ValueTextEquals("mode"u8))
                {
                    if (reader.TokenType != JsonTokenType.String || !WireName.TryParseIgnoreCase<RouterMode>(reader.GetString(), out var m))
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
                    error = $"field '{field.GetString()}': unknown; a line may have {string.Join(", ", Fields)}.";
                    return false;
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
            error = JsonSyntax.OnLine(ex);
            return false;
        }

        error = "";
        if (!route)
        {
            return true;
        }
        salt ??= d.Salt;
        var settingsKey = (pct, salt, mode, kill);
        if (_lastSettings is null || !_lastKey.Equals(settingsKey))
        {
            // Consecutive lines usually agree: reuse the snapshot.
            _lastSettings = RouteLineDefaults.Settings(pct, salt, mode, kill);
            _lastKey = settingsKey;
        }
        request = new RouteRequest(key, user, segment);
        decision = RouterFor(algorithm).Route(request, _lastSettings);
        return true;
    }

    /// <summary>Writes one decision as a JSON object: <c>key</c> then the route event fields.</summary>
    public static void WriteDecision(Utf8JsonWriter writer, in RouteRequest request, in RouteDecision decision)
    {
        ArgumentNullException.ThrowIfNull(writer);
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

    /// <summary>Whether <paramref name="value"/> is a percentage: a number from 0 to 100 (not NaN).</summary>
    public static bool IsPercentage(double value) => !double.IsNaN(value) && value >= 0 && value <= 100;

    private CanaryRouter RouterFor(BucketingAlgorithm algorithm) =>
        _routers[(int)algorithm] ??= new CanaryRouter(_live, new RouterOptions { Algorithm = algorithm, Random = _random });

    private static bool TryParseAlgorithm(ref Utf8JsonReader reader, out BucketingAlgorithm algorithm)
    {
        Span<char> text = stackalloc char[32];
        if (reader.HasValueSequence || reader.ValueSpan.Length > text.Length)
        {
            algorithm = default;
            return false;
        }
        var n = reader.CopyString(text);
        return WireName.TryParseIgnoreCase<BucketingAlgorithm>(text[..n], out algorithm);
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
