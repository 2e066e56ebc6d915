using System.Globalization;
using System.Text.Json;

namespace CanarySim.Core.Gating;

/// <summary>
/// Streams a <c>canarysim.uat-raw/v1</c> artifact case by case with
/// <see cref="Utf8JsonReader"/> over a <see cref="Stream"/>: memory holds one case at a time
/// (plus the per-file duplicate index), so a 1 GB artifact never has to fit in memory.
/// Every error is a <see cref="UatArtifactException"/> naming file, case, field and expectation.
/// </summary>
public sealed class UatArtifactReader
{
    private static readonly string[] TimestampFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    private readonly Stream _stream;
    private readonly string _source;
    private readonly Dictionary<(string CaseId, UatRole Role), int> _firstRuns = new();
    private byte[] _buffer;
    private int _start;
    private int _length;
    private bool _final;
    private JsonReaderState _state;
    private Phase _phase = Phase.Start;
    private int _caseIndex;
    private bool _sawCases;
    private string? _schema;
    private string? _runId;
    private string? _engine;
    private DateTimeOffset? _startedAt;

    /// <summary>Creates a reader over <paramref name="stream"/>; <paramref name="source"/> names it in errors (usually the file path).</summary>
    /// <param name="stream">The artifact bytes (UTF-8 JSON). Not disposed by the reader.</param>
    /// <param name="source">Name used in error messages and reports.</param>
    /// <param name="bufferBytes">Initial buffer size; grows only to fit the largest single case.</param>
    public UatArtifactReader(Stream stream, string source, int bufferBytes = GateOptions.DefaultReaderBufferBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferBytes, 16);
        _stream = stream;
        _source = source;
        _buffer = new byte[bufferBytes];
        _state = new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
    }

    private enum Phase { Start, TopLevel, InCases, End, Done }

    /// <summary>The top-level fields; available once <see cref="ReadCases"/> has been enumerated to the end.</summary>
    public UatArtifactHeader? Header { get; private set; }

    /// <summary>Reads an artifact fully into memory (for small files and tests).</summary>
    public static (UatArtifactHeader Header, IReadOnlyList<UatCase> Cases) ReadAll(Stream stream, string source)
    {
        var reader = new UatArtifactReader(stream, source);
        var cases = reader.ReadCases().ToList();
        return (reader.Header!, cases);
    }

    /// <summary>Yields the cases in file order, validating each; throws <see cref="UatArtifactException"/> on the first problem. Enumerate once.</summary>
    public IEnumerable<UatCase> ReadCases()
    {
        var pending = new List<UatCase>();
        Fill();
        if (_length >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
        {
            _start = 3; // UTF-8 byte order mark
            _length -= 3;
        }
        while (true)
        {
            var done = Process(pending);
            foreach (var item in pending)
            {
                yield return item;
            }
            pending.Clear();
            if (done)
            {
                break;
            }
            if (_final)
            {
                throw new UatArtifactException(_source, "unexpected end of file; the JSON document is incomplete");
            }
            Fill();
        }
        Finish();
    }

    private void Fill()
    {
        if (_final)
        {
            return;
        }
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _length);
            _start = 0;
        }
        if (_length == _buffer.Length)
        {
            // One token or case larger than the buffer: grow to fit it (memory is bounded by the largest case).
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        while (_length < _buffer.Length)
        {
            int read;
            try
            {
                read = _stream.Read(_buffer, _length, _buffer.Length - _length);
            }
            catch (IOException ex)
            {
                throw new UatArtifactException(_source, $"could not be read: {ex.Message}", inner: ex);
            }
            if (read == 0)
            {
                _final = true;
                break;
            }
            _length += read;
        }
    }

    private bool Process(List<UatCase> pending)
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _length), _final, _state);
        try
        {
            var done = Step(ref reader, pending);
            var consumed = (int)reader.BytesConsumed;
            _start += consumed;
            _length -= consumed;
            _state = reader.CurrentState;
            return done;
        }
        catch (JsonException ex)
        {
            var where = _phase == Phase.InCases ? (int?)_caseIndex : null;
            var message = ex.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            throw new UatArtifactException(_source, $"malformed JSON: {(cut > 0 ? message[..cut] : message)}", caseIndex: where, line: (ex.LineNumber ?? 0) + 1, bytePositionInLine: (ex.BytePositionInLine ?? 0) + 1, inner: ex);
        }
    }

    // Returns true when the document is finished; false when more bytes are needed.
    private bool Step(ref Utf8JsonReader reader, List<UatCase> pending)
    {
        while (true)
        {
            switch (_phase)
            {
                case Phase.Start:
                {
                    if (_final && IsBlank(_buffer.AsSpan(_start, _length)))
                    {
                        throw new UatArtifactException(_source, "file is empty; expected a canarysim.uat-raw/v1 JSON object");
                    }
                    var probe = reader;
                    if (!probe.Read())
                    {
                        if (_final)
                        {
                            throw new UatArtifactException(_source, "file is empty; expected a canarysim.uat-raw/v1 JSON object");
                        }
                        return false;
                    }
                    if (probe.TokenType != JsonTokenType.StartObject)
                    {
                        throw new UatArtifactException(_source, $"expected a JSON object at the top level, found {Describe(probe.TokenType)}");
                    }
                    reader = probe;
                    _phase = Phase.TopLevel;
                    break;
                }
                case Phase.TopLevel:
                {
                    var probe = reader;
                    if (!probe.Read())
                    {
                        return false;
                    }
                    if (probe.TokenType == JsonTokenType.EndObject)
                    {
                        reader = probe;
                        _phase = Phase.End;
                        break;
                    }
                    var name = probe.GetString()!;
                    var value = probe;
                    if (!value.Read())
                    {
                        return false;
                    }
                    if (name == "cases")
                    {
                        if (value.TokenType != JsonTokenType.StartArray)
                        {
                            throw new UatArtifactException(_source, $"expected an array of case results, found {Describe(value.TokenType)}", field: "cases");
                        }
                        if (_sawCases)
                        {
                            throw new UatArtifactException(_source, "appears twice; expected one cases array", field: "cases");
                        }
                        _sawCases = true;
                        reader = value;
                        _phase = Phase.InCases;
                        break;
                    }
                    var skipper = value;
                    if (!skipper.TrySkip())
                    {
                        return false;
                    }
                    ReadHeaderField(name, ref value);
                    reader = skipper;
                    break;
                }
                case Phase.InCases:
                {
                    var probe = reader;
                    if (!probe.Read())
                    {
                        return false;
                    }
                    if (probe.TokenType == JsonTokenType.EndArray)
                    {
                        reader = probe;
                        _phase = Phase.TopLevel;
                        break;
                    }
                    if (probe.TokenType != JsonTokenType.StartObject)
                    {
                        throw new UatArtifactException(_source, $"expected a case object, found {Describe(probe.TokenType)}", caseIndex: _caseIndex);
                    }
                    var skipper = probe;
                    if (!skipper.TrySkip())
                    {
                        return false;
                    }
                    pending.Add(ReadCase(ref probe));
                    _caseIndex++;
                    reader = skipper;
                    break;
                }
                case Phase.End:
                {
                    if (reader.Read())
                    {
                        throw new UatArtifactException(_source, "unexpected content after the top-level object");
                    }
                    if (!_final)
                    {
                        return false;
                    }
                    _phase = Phase.Done;
                    return true;
                }
                default:
                    return true;
            }
        }
    }

    private void ReadHeaderField(string name, ref Utf8JsonReader value)
    {
        switch (name)
        {
            case "schema":
                _schema = HeaderString(ref value, name) ?? throw new UatArtifactException(_source, $"expected \"{UatWire.SchemaV1}\", found null", field: name);
                if (_schema != UatWire.SchemaV1)
                {
                    throw new UatArtifactException(_source, $"unknown schema version \"{_schema}\"; expected \"{UatWire.SchemaV1}\"", field: name);
                }
                break;
            case "run_id":
                _runId = HeaderString(ref value, name);
                break;
            case "engine":
                _engine = HeaderString(ref value, name);
                break;
            case "started_at":
                var text = HeaderString(ref value, name);
                if (text is not null)
                {
                    _startedAt = ParseTimestamp(text) ?? throw new UatArtifactException(_source, $"expected an ISO-8601 timestamp such as 2026-02-19T10:00:00Z, found \"{text}\"", field: name);
                }
                break;
            default:
                // Unknown fields are kept and ignored.
                break;
        }
    }

    private string? HeaderString(ref Utf8JsonReader value, string field) => value.TokenType switch
    {
        JsonTokenType.String => value.GetString(),
        JsonTokenType.Null => null,
        _ => throw new UatArtifactException(_source, $"expected a string, found {Describe(value.TokenType)}", field: field),
    };

    private void Finish()
    {
        if (_schema is null)
        {
            throw new UatArtifactException(_source, $"missing required field; expected \"{UatWire.SchemaV1}\"", field: "schema");
        }
        if (!_sawCases)
        {
            throw new UatArtifactException(_source, "missing required field; expected an array of case results", field: "cases");
        }
        if (_caseIndex == 0)
        {
            throw new UatArtifactException(_source, "is empty; expected at least one case result", field: "cases");
        }
        Header = new UatArtifactHeader(_source, _schema, _runId, _engine, _startedAt, _caseIndex);
    }

    private UatCase ReadCase(ref Utf8JsonReader reader)
    {
        string? caseId = null, roleText = null, runKindText = null, startedText = null, benchmark = null;
        bool? passed = null, shapeOk = null, incident = null, corrected = null, critical = null;
        double? latency = null;
        (string Field, string Problem)? error = null;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            var name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "case_id": caseId = String(ref reader, name, ref error); break;
                case "role": roleText = String(ref reader, name, ref error); break;
                case "run_kind": runKindText = String(ref reader, name, ref error); break;
                case "started_at": startedText = String(ref reader, name, ref error); break;
                case "benchmark": benchmark = String(ref reader, name, ref error); break;
                case "passed": passed = Bool(ref reader, name, ref error); break;
                case "output_shape_ok": shapeOk = Bool(ref reader, name, ref error); break;
                case "write_safety_incident": incident = Bool(ref reader, name, ref error); break;
                case "corrected": corrected = Bool(ref reader, name, ref error); break;
                case "critical": critical = Bool(ref reader, name, ref error); break;
                case "latency_ms":
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var ms) && ms >= 0 && double.IsFinite(ms))
                    {
                        latency = ms;
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        error ??= (name, $"expected a non-negative number of milliseconds, found {Describe(ref reader)}");
                    }
                    break;
                default:
                    SkipValue(ref reader); // unknown fields are kept and ignored
                    break;
            }
        }

        var index = _caseIndex;
        if (error is { } e)
        {
            throw new UatArtifactException(_source, e.Problem, index, caseId, e.Field);
        }
        if (string.IsNullOrEmpty(caseId))
        {
            throw new UatArtifactException(_source, caseId is null ? "missing required field; expected a case id such as FIN-01" : "expected a non-empty case id such as FIN-01", index, null, "case_id");
        }
        if (roleText is null)
        {
            throw new UatArtifactException(_source, $"missing required field; expected \"{UatWire.Reader}\" or \"{UatWire.Operator}\"", index, caseId, "role");
        }
        if (!WireName.TryParse<UatRole>(roleText, out var role))
        {
            throw new UatArtifactException(_source, $"unknown role \"{roleText}\"; expected \"{UatWire.Reader}\" or \"{UatWire.Operator}\"", index, caseId, "role");
        }
        var runKind = UatRunKind.First;
        if (runKindText is not null && !UatWire.TryParseRunKind(runKindText, out runKind))
        {
            throw new UatArtifactException(_source, $"unknown run_kind \"{runKindText}\"; expected \"first\" or \"diagnostic\" (alias \"rerun\")", index, caseId, "run_kind");
        }
        if (startedText is null)
        {
            throw new UatArtifactException(_source, "missing required field; expected an ISO-8601 timestamp such as 2026-02-19T10:00:05Z", index, caseId, "started_at");
        }
        var started = ParseTimestamp(startedText)
            ?? throw new UatArtifactException(_source, $"expected an ISO-8601 timestamp such as 2026-02-19T10:00:05Z, found \"{startedText}\"", index, caseId, "started_at");
        if (passed is null)
        {
            throw new UatArtifactException(_source, "missing required field; expected true or false", index, caseId, "passed");
        }
        if (runKind == UatRunKind.First)
        {
            // A file may hold only one first run per (case, role): a second one would let a retry be scored.
            if (_firstRuns.TryGetValue((caseId, role), out var earlier))
            {
                throw new UatArtifactException(_source, $"duplicate first-run result for ({caseId}, {WireName.Of(role)}); case #{earlier} already is its first run. Mark reruns \"run_kind\": \"diagnostic\"", index, caseId, "run_kind");
            }
            _firstRuns.Add((caseId, role), index);
        }
        return new UatCase(index, caseId, role, runKind, started, passed.Value, shapeOk ?? true, latency, incident ?? false, corrected ?? false, critical ?? false, benchmark ?? UatWire.ClearBenchmark);
    }

    private static string? String(ref Utf8JsonReader reader, string field, ref (string, string)? error)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }
        if (reader.TokenType != JsonTokenType.Null)
        {
            error ??= (field, $"expected a string, found {Describe(ref reader)}");
            SkipValue(ref reader);
        }
        return null;
    }

    private static bool? Bool(ref Utf8JsonReader reader, string field, ref (string, string)? error)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.Null: return null;
            default:
                error ??= (field, $"expected true or false, found {Describe(ref reader)}");
                SkipValue(ref reader);
                return null;
        }
    }

    // The whole case object is in the buffer (checked with TrySkip before parsing), so TrySkip always
    // succeeds here; Skip() would refuse on a non-final block even when the value is complete.
    private static void SkipValue(ref Utf8JsonReader reader)
    {
        if (!reader.TrySkip())
        {
            throw new InvalidOperationException("case object unexpectedly incomplete");
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }
        return true;
    }

    private static DateTimeOffset? ParseTimestamp(string text) =>
        DateTimeOffset.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"the string \"{reader.GetString()}\"",
        JsonTokenType.Number => $"the number {System.Text.Encoding.UTF8.GetString(reader.ValueSpan)}",
        _ => Describe(reader.TokenType),
    };

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
