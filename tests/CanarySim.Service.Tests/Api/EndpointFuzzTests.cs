using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace CanarySim.Service.Tests.Api;

/// <summary>
/// Item 3: any body is 400 (or 415) with a reason, or a 2xx — never a 500. 10,000 requests against the
/// real service: random bytes, and valid bodies mutated (bytes flipped, cut, inserted; values replaced by
/// odd numbers, lone surrogates, control characters, nested depth; keys duplicated), under several content types.
/// </summary>
[TestFixture]
public sealed class EndpointFuzzTests
{
    private static readonly (string Method, string Path, string Body)[] Valid =
    [
        ("PUT", "/guard/config", """{"canary_pct": 10.5, "kill_switch": false, "mode": "canary", "salt": "s", "phase": "p", "updated_by": "ops", "reason": "r"}"""),
        ("PUT", "/guard/config", """{"segments": {"payroll": {"enabled": true, "canary_pct": 5}}, "cohort": ["vip-1", "vip-2"], "reason": "r"}"""),
        ("PUT", "/guard/config", """{"canary_pct": 10.0}"""),
        ("POST", "/guard/rollback", """{"reason": "bad answers", "actor": "carol"}"""),
        ("POST", "/guard/resume", """{"reason": "explained", "actor": "dana"}"""),
        ("POST", "/guard/evaluate", """{}"""),
        ("POST", "/guard/samples", """{"engine":"v2","at":"2026-02-19T09:59:00Z","latency_ms":812,"quality":93.5,"cost_cents":1.9,"error":false,"fallback":false,"policy_violation":false,"complaint":false,"tokens":3,"agent":"a"}"""),
        ("POST", "/guard/samples", """[{"engine":"v1","latency_ms":700,"quality":95,"cost_cents":1.2},{"engine":"v2","latency_ms":900,"quality":94,"cost_cents":1.5,"fallback":true}]"""),
        ("POST", "/guard/diffs", """[{"agent_v1":"a","agent_v2":"b","changed":true,"count":2}]"""),
        ("POST", "/guard/route", """{"session_id":"s-1","user_id":"u-1","segment":"inbox"}"""),
    ];

    private static readonly string[] OddValues =
    [
        "-0.0", "1e-320", "1e309", "-1e309", "NaN", "Infinity", "null", "true", "[]", "{}", "\"\"", "\"\\ud800\"", "\"\\udc00x\"", "\"a\\u0000b\"",
        "\"\\u001b[31m\"", "9223372036854775808", "-9223372036854775809", "0.1e1", "1E2", "\"V2\"", "\"CANARY\"", "\"10\"", "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]",
        "\"" + new string('x', 3000) + "\"", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{\"j\":{\"k\":{\"l\":{\"m\":{\"n\":{\"o\":{\"p\":{\"q\":1}}}}}}}}}}}}}}}}}",
    ];

    private static readonly string?[] ContentTypes = ["application/json", "application/json", "application/json", "application/json; charset=utf-8", "text/plain", null, "application/json; charset=utf-16"];

    /// <summary>One request: endpoint, body bytes, content type.</summary>
    public sealed record Case(string Method, string Path, byte[] Body, string? ContentType)
    {
        public override string ToString() => $"{Method} {Path} [{ContentType ?? "no content type"}] {Convert.ToHexString(Body.AsSpan(0, Math.Min(Body.Length, 400)))}";
    }

    private static Gen<byte[]> RandomBytes => Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().Select(a => a.Length > 600 ? a[..600] : a);

    private static Gen<byte[]> Mutated(string body) =>
        Gen.OneOf(
            // flip, drop or insert bytes
            from at in Gen.Choose(0, body.Length - 1) from b in Gen.Choose(0, 255)
            select Splice(body, at, 1, [(byte)b]),
            from at in Gen.Choose(0, body.Length - 1) from n in Gen.Choose(1, 12)
            select Splice(body, at, Math.Min(n, body.Length - at), []),
            from at in Gen.Choose(0, body.Length) from bytes in Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf()
            select Splice(body, at, 0, bytes.Length > 16 ? bytes[..16] : bytes),
            // replace a value (after a ':' or '[' or ',') by an odd one
            from pick in Gen.Choose(0, 1000) from odd in Gen.Elements(OddValues)
            select ReplaceValue(body, pick, odd),
            // duplicate the first key
            Gen.Constant(DuplicateFirstKey(body)),
            // truncate
            from n in Gen.Choose(0, body.Length) select Encoding.UTF8.GetBytes(body[..n]));

    private static Gen<Case> Cases =>
        from endpoint in Gen.Elements(Valid)
        from random in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false)))
        from body in random ? RandomBytes : Mutated(endpoint.Body)
        from contentType in Gen.Elements(ContentTypes)
        select new Case(endpoint.Method, endpoint.Path, body, contentType);

    private static byte[] Splice(string body, int at, int remove, byte[] insert)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        at = Math.Min(at, bytes.Length);
        remove = Math.Min(remove, bytes.Length - at);
        return [.. bytes[..at], .. insert, .. bytes[(at + remove)..]];
    }

    private static byte[] ReplaceValue(string body, int pick, string odd)
    {
        var starts = Enumerable.Range(0, body.Length).Where(i => body[i] is ':' or '[' or ',').ToList();
        if (starts.Count == 0)
        {
            return Encoding.UTF8.GetBytes(odd);
        }
        var start = starts[pick % starts.Count] + 1;
        var end = start;
        var depth = 0;
        var inString = false;
        for (; end < body.Length; end++)
        {
            var c = body[end];
            if (inString)
            {
                if (c == '\\')
                {
                    end++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
                continue;
            }
            if (c == '"')
            {
                inString = true;
            }
            else if (c is '{' or '[')
            {
                depth++;
            }
            else if (c is '}' or ']' or ',')
            {
                if (depth == 0)
                {
                    break;
                }
                if (c != ',')
                {
                    depth--;
                }
            }
        }
        return Encoding.UTF8.GetBytes(body[..start] + odd + body[Math.Min(end, body.Length)..]);
    }

    private static byte[] DuplicateFirstKey(string body)
    {
        var open = body.IndexOf('{', StringComparison.Ordinal);
        var comma = body.IndexOf(',', open + 1);
        var close = body.IndexOf('}', open + 1);
        var end = comma > 0 && comma < close ? comma : close;
        if (open < 0 || end < 0)
        {
            return Encoding.UTF8.GetBytes(body);
        }
        var pair = body[(open + 1)..end];
        return Encoding.UTF8.GetBytes(body[..(open + 1)] + pair + (pair.Trim().Length > 0 ? "," : "") + body[(open + 1)..]);
    }

    private GuardHost _host = null!;
    private int _served;
    private readonly Dictionary<int, int> _statuses = [];
    private readonly Stopwatch _clock = new();

    [OneTimeSetUp]
    public void Start()
    {
        // The database on tmpfs when there is one: 10,000 requests, many of them commits.
        var shm = Directory.Exists("/dev/shm") ? Path.Combine("/dev/shm", "canarysim-fuzz-" + Guid.NewGuid().ToString("N"), "guard.db") : null;
        _host = new GuardHost(s =>
        {
            s["Guard:BackgroundEvaluation"] = "false";
            s["Guard:MaxRequestBodyBytes"] = "65536";
        }, shm);
    }

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    [FsCheck.NUnit.Property(MaxTest = 10_000, QuietOnSuccess = true)]
    public Property Any_body_gets_a_2xx_or_a_4xx_with_a_reason_never_a_500() =>
        Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            _clock.Start();
            using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path) { Content = new ByteArrayContent(c.Body) };
            if (c.ContentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(c.ContentType);
            }
            using var response = _host.Authorized.SendAsync(request).GetAwaiter().GetResult();
            var status = (int)response.StatusCode;
            var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            _clock.Stop();
            _served++;
            if (_served % 2000 == 0)
            {
                TestContext.Progress.WriteLine($"{_served} requests in {_clock.Elapsed.TotalSeconds:0.0} s; answers: {string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
            }
            _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
            var explained = status < 400 || (JsonNode.Parse(text)?["reason"]?.GetValue<string>() is { Length: > 0 } reason && !reason.Contains("System.", StringComparison.Ordinal) && !reason.Contains("CanarySim.", StringComparison.Ordinal));
            return (status < 500 && explained).Label($"{status}: {text}");
        });
}
