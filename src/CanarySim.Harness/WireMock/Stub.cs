using System.Text.Json;
using System.Text.Json.Nodes;

namespace CanarySim.Harness.WireMock;

/// <summary>
/// A fluent builder for one WireMock stub mapping, read like WireMock.Net's
/// <c>Request.Create().WithPath(..)</c>: <c>Stub.For("/v2/plan").Returns(200, body).WithDelay(..)</c>.
/// <see cref="ToMapping"/> produces WireMock's mapping JSON (the format under <c>fixtures/wiremock/</c>).
/// </summary>
public sealed class Stub
{
    private readonly JsonObject _request = new();
    private readonly JsonArray _bodyPatterns = [];
    private readonly JsonObject _requestHeaders = new();
    private readonly JsonObject _response = new() { ["status"] = 200 };
    private readonly JsonObject _responseHeaders = new();
    private string? _scenario;
    private string? _requiredState;
    private string? _newState;
    private int? _priority;
    private string? _name;

    private Stub(string path, string method)
    {
        _request["method"] = method;
        _request["urlPath"] = path;
    }

    /// <summary>A stub for requests to exactly <paramref name="path"/> (any method).</summary>
    public static Stub For(string path) => new(RequirePath(path), "ANY");

    /// <summary>A stub for <c>POST</c> requests to exactly <paramref name="path"/>.</summary>
    public static Stub ForPost(string path) => new(RequirePath(path), "POST");

    /// <summary>A stub for <c>GET</c> requests to exactly <paramref name="path"/>.</summary>
    public static Stub ForGet(string path) => new(RequirePath(path), "GET");

    /// <summary>Restricts the HTTP method (e.g. <c>POST</c>).</summary>
    public Stub WithMethod(string method)
    {
        _request["method"] = method.ToUpperInvariant();
        return this;
    }

    /// <summary>Requires the request body to contain <paramref name="text"/>.</summary>
    public Stub WithBodyContaining(string text)
    {
        _bodyPatterns.Add(new JsonObject { ["contains"] = text });
        return this;
    }

    /// <summary>Requires the JSON body to match a JSONPath expression (e.g. <c>$[?(@.agentType == 'SICK_CALLER')]</c>).</summary>
    public Stub WithJsonPath(string expression)
    {
        _bodyPatterns.Add(new JsonObject { ["matchesJsonPath"] = expression });
        return this;
    }

    /// <summary>Requires the JSON body's value at <paramref name="expression"/> (e.g. <c>$.agentType</c>) to equal <paramref name="value"/>.</summary>
    public Stub WithJsonPathEqualTo(string expression, string value)
    {
        _bodyPatterns.Add(new JsonObject
        {
            ["matchesJsonPath"] = new JsonObject { ["expression"] = expression, ["equalTo"] = value },
        });
        return this;
    }

    /// <summary>Requires a request header to equal <paramref name="value"/>.</summary>
    public Stub WithHeader(string name, string value)
    {
        _requestHeaders[name] = new JsonObject { ["equalTo"] = value };
        return this;
    }

    /// <summary>Places the stub in a WireMock scenario (a state machine for multi-turn conversations): it matches only in <paramref name="whenState"/> and moves the scenario to <paramref name="thenState"/> when given.</summary>
    public Stub InScenario(string scenario, string whenState = ScenarioStates.Started, string? thenState = null)
    {
        _scenario = scenario;
        _requiredState = whenState;
        _newState = thenState;
        return this;
    }

    /// <summary>Priority (1 is highest); a specific stub beats a catch-all.</summary>
    public Stub AtPriority(int priority)
    {
        _priority = priority;
        return this;
    }

    /// <summary>A name shown in WireMock's near-miss reports.</summary>
    public Stub Named(string name)
    {
        _name = name;
        return this;
    }

    /// <summary>Answers with <paramref name="status"/> and a text body; a body starting with <c>{</c> or <c>[</c> is sent as <c>application/json</c>.</summary>
    public Stub Returns(int status, string? body = null)
    {
        _response["status"] = status;
        _response.Remove("jsonBody");
        if (body is not null)
        {
            _response["body"] = body;
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
        _response["status"] = status;
        _response.Remove("body");
        _response["jsonBody"] = body as JsonNode ?? JsonSerializer.SerializeToNode(body);
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
        _response.Remove("delayDistribution");
        _response["fixedDelayMilliseconds"] = (long)delay.TotalMilliseconds;
        return this;
    }

    /// <summary>Delays the answer by a uniformly random time in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public Stub WithRandomDelay(TimeSpan min, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(min, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        _response.Remove("fixedDelayMilliseconds");
        _response["delayDistribution"] = new JsonObject
        {
            ["type"] = "uniform",
            ["lower"] = (long)min.TotalMilliseconds,
            ["upper"] = (long)max.TotalMilliseconds,
        };
        return this;
    }

    /// <summary>Answers with a transport fault instead of a response.</summary>
    public Stub WithFault(Fault fault)
    {
        _response["fault"] = fault.ToWire();
        return this;
    }

    /// <summary>The WireMock mapping JSON for this stub.</summary>
    public JsonObject ToMapping()
    {
        var request = (JsonObject)_request.DeepClone();
        if (_bodyPatterns.Count > 0)
        {
            request["bodyPatterns"] = _bodyPatterns.DeepClone();
        }
        if (_requestHeaders.Count > 0)
        {
            request["headers"] = _requestHeaders.DeepClone();
        }
        var response = (JsonObject)_response.DeepClone();
        if (_responseHeaders.Count > 0)
        {
            response["headers"] = _responseHeaders.DeepClone();
        }
        var mapping = new JsonObject();
        if (_name is not null)
        {
            mapping["name"] = _name;
        }
        if (_priority is { } p)
        {
            mapping["priority"] = p;
        }
        mapping["request"] = request;
        mapping["response"] = response;
        if (_scenario is not null)
        {
            mapping["scenarioName"] = _scenario;
            mapping["requiredScenarioState"] = _requiredState;
            if (_newState is not null)
            {
                mapping["newScenarioState"] = _newState;
            }
        }
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
