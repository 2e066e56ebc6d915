using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CanarySim.Core;

namespace CanarySim.Harness.WireMock;

/// <summary>
/// A fluent builder for one WireMock.Net stub mapping, read like WireMock.Net's
/// <c>Request.Create().WithPath(..)</c>: <c>Stub.For("/v2/plan").Returns(200, body).WithDelay(..)</c>.
/// <see cref="ToMapping"/> produces WireMock.Net's mapping JSON, the format of the files under
/// <c>fixtures/wiremock/</c>, so stubs from steps and from files go through the same checks and loader.
/// </summary>
public sealed class Stub
{
    /// <summary>The priority of a stub that does not set one: 5 (1 is the highest).</summary>
    public const int DefaultPriority = 5;

    private readonly string _path;
    private readonly string? _method;
    private readonly JsonArray _bodyMatchers = [];
    private readonly JsonObject _response = new() { ["StatusCode"] = 200 };
    private readonly JsonObject _responseHeaders = new();
    private string? _scenario;
    private string? _requiredState;
    private string? _newState;
    private int _priority = DefaultPriority;
    private string? _name;

    private Stub(string path, string? method)
    {
        _path = path;
        _method = method;
    }

    /// <summary>A stub for requests to exactly <paramref name="path"/> (any method).</summary>
    public static Stub For(string path) => new(RequirePath(path), null);

    /// <summary>A stub for <c>POST</c> requests to exactly <paramref name="path"/>.</summary>
    public static Stub ForPost(string path) => new(RequirePath(path), "POST");

    /// <summary>A stub for <c>GET</c> requests to exactly <paramref name="path"/>.</summary>
    public static Stub ForGet(string path) => new(RequirePath(path), "GET");

    /// <summary>Requires the request body to contain <paramref name="text"/> (case-sensitive).</summary>
    public Stub WithBodyContaining(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        _bodyMatchers.Add(new JsonObject { ["Name"] = "RegexMatcher", ["Pattern"] = Regex.Escape(text) });
        return this;
    }

    /// <summary>
    /// Requires the JSON body to hold <paramref name="field"/> with the text <paramref name="value"/> (exact and
    /// case-sensitive; other fields may be present): WireMock.Net's <c>JsonPartialMatcher</c>. A dotted name is an
    /// inner field (<c>simulation.v2</c>).
    /// </summary>
    public Stub WithJsonField(string field, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(field);
        ArgumentNullException.ThrowIfNull(value);
        JsonNode pattern = JsonValue.Create(value);
        foreach (var name in field.Split('.').Reverse())
        {
            pattern = new JsonObject { [name] = pattern };
        }
        _bodyMatchers.Add(new JsonObject { ["Name"] = "JsonPartialMatcher", ["Pattern"] = pattern });
        return this;
    }

    /// <summary>Requires a JMESPath expression over the JSON body to be true (e.g. <c>length(slots) > `2`</c>); WireMock.Net parses it on every request, so prefer <see cref="WithJsonField"/> for a field's value.</summary>
    public Stub WithJmesPath(string expression)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        _bodyMatchers.Add(new JsonObject { ["Name"] = "JmesPathMatcher", ["Pattern"] = expression });
        return this;
    }

    /// <summary>Places the stub in a scenario (a state machine for multi-turn conversations): it matches only in <paramref name="whenState"/> and moves the scenario to <paramref name="thenState"/> when given.</summary>
    public Stub InScenario(string scenario, string whenState = ScenarioStates.Started, string? thenState = null)
    {
        _scenario = scenario;
        _requiredState = whenState;
        _newState = thenState;
        return this;
    }

    /// <summary>Priority (1 is highest, <see cref="DefaultPriority"/> when not set); a specific stub beats a catch-all.</summary>
    public Stub AtPriority(int priority)
    {
        _priority = priority;
        return this;
    }

    /// <summary>A title shown in near-miss reports and refusals.</summary>
    public Stub Named(string name)
    {
        _name = name;
        return this;
    }

    /// <summary>Answers with <paramref name="status"/> and a text body; a body starting with <c>{</c> or <c>[</c> is sent as <c>application/json</c>.</summary>
    public Stub Returns(int status, string? body = null)
    {
        _response["StatusCode"] = status;
        _response.Remove("BodyAsJson");
        if (body is not null)
        {
            _response["Body"] = body;
            var t = body.TrimStart();
            if (t.StartsWith('{') || t.StartsWith('['))
            {
                _responseHeaders["Content-Type"] = "application/json";
            }
        }
        return this;
    }

    /// <summary>Answers with <paramref name="status"/> and <paramref name="body"/> serialized as JSON (snake_case is the caller's choice: pass a <see cref="JsonNode"/> to control names exactly).</summary>
    public Stub ReturnsJson(int status, object body)
    {
        _response["StatusCode"] = status;
        _response.Remove("Body");
        _response["BodyAsJson"] = body as JsonNode ?? JsonSerializer.SerializeToNode(body);
        _responseHeaders["Content-Type"] = "application/json";
        return this;
    }

    /// <summary>Adds a response header.</summary>
    public Stub WithResponseHeader(string name, string value)
    {
        _responseHeaders[name] = value;
        return this;
    }

    /// <summary>Delays the answer by a fixed time.</summary>
    public Stub WithDelay(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        _response.Remove("MinimumRandomDelay");
        _response.Remove("MaximumRandomDelay");
        _response["Delay"] = (long)delay.TotalMilliseconds;
        return this;
    }

    /// <summary>Delays the answer by a uniformly random time in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public Stub WithRandomDelay(TimeSpan min, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(min, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        _response.Remove("Delay");
        _response["MinimumRandomDelay"] = (long)min.TotalMilliseconds;
        _response["MaximumRandomDelay"] = (long)max.TotalMilliseconds;
        return this;
    }

    /// <summary>Answers with a transport fault instead of a response (the <c>X-CanarySim-Fault</c> response header).</summary>
    public Stub WithFault(Fault fault)
    {
        _response.Remove("Body");
        _response.Remove("BodyAsJson");
        _responseHeaders.Remove("Content-Type");
        _responseHeaders[FaultMiddleware.Header] = WireName.Of(fault);
        return this;
    }

    /// <summary>The WireMock.Net mapping JSON for this stub.</summary>
    public JsonObject ToMapping()
    {
        var mapping = new JsonObject();
        if (_name is not null)
        {
            mapping["Title"] = _name;
        }
        mapping["Priority"] = _priority;
        if (_scenario is not null)
        {
            mapping["Scenario"] = _scenario;
            mapping["WhenStateIs"] = _requiredState;
            if (_newState is not null)
            {
                mapping["SetStateTo"] = _newState;
            }
        }
        var request = new JsonObject { ["Path"] = _path };
        if (_method is not null)
        {
            request["Methods"] = new JsonArray(_method);
        }
        if (_bodyMatchers.Count == 1)
        {
            request["Body"] = new JsonObject { ["Matcher"] = _bodyMatchers[0]!.DeepClone() };
        }
        else if (_bodyMatchers.Count > 1)
        {
            request["Body"] = new JsonObject { ["Matchers"] = _bodyMatchers.DeepClone(), ["MatchOperator"] = "And" };
        }
        mapping["Request"] = request;
        var response = (JsonObject)_response.DeepClone();
        if (_responseHeaders.Count > 0)
        {
            response["Headers"] = _responseHeaders.DeepClone();
        }
        mapping["Response"] = response;
        return mapping;
    }

    /// <summary>The mapping as indented JSON text.</summary>
    public override string ToString() => ToMapping().ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static string RequirePath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return path.StartsWith('/') ? path : "/" + path;
    }
}
