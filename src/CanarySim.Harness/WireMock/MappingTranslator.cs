using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;
using NetWireMockServer = WireMock.Server.WireMockServer;

namespace CanarySim.Harness.WireMock;

/// <summary>
/// Turns one mapping in WireMock's JSON format (the format of <c>fixtures/wiremock/</c>) into a
/// WireMock.Net mapping, keeping WireMock's meaning: priority 1 is highest and 5 the default, a scenario
/// starts in <c>Started</c>, <c>matchesJsonPath</c> as in <see cref="JsonBodyPath"/>, <c>response-template</c>
/// as in <see cref="ResponseTemplate"/>, faults through <see cref="FaultMiddleware"/>, and
/// <c>proxyBaseUrl</c> / <c>proxyUrlPrefixToRemove</c> through WireMock.Net's proxy. Anything else is
/// refused with a message naming the field, so a stub never silently means something else.
/// </summary>
internal sealed class MappingTranslator
{
    /// <summary>WireMock's default mapping priority.</summary>
    public const int DefaultPriority = 5;

    private static readonly string[] MappingFields = ["id", "uuid", "name", "priority", "request", "response", "scenarioName", "requiredScenarioState", "newScenarioState"];
    private static readonly string[] RequestFields = ["method", "urlPath", "headers", "bodyPatterns"];
    private static readonly string[] ResponseFields = ["status", "headers", "body", "jsonBody", "transformers", "fixedDelayMilliseconds", "delayDistribution", "fault", "proxyBaseUrl", "proxyUrlPrefixToRemove"];
    private static readonly JsonSerializerOptions BodyJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Guid _id;
    private readonly string? _name;
    private readonly int _priority;
    private readonly IRequestBuilder _request;
    private readonly IResponseBuilder _response;

    private MappingTranslator(Guid id, string? name, int priority, IRequestBuilder request, IResponseBuilder response)
    {
        _id = id;
        _name = name;
        _priority = priority;
        _request = request;
        _response = response;
    }

    /// <summary>The scenario the mapping belongs to, or null.</summary>
    public string? Scenario { get; private init; }

    /// <summary>The scenario state the mapping needs (set when <see cref="Scenario"/> is).</summary>
    public string? RequiredState { get; private init; }

    /// <summary>The state the scenario moves to after the mapping answered, or null to stay.</summary>
    public string? NewState { get; private init; }

    /// <summary>Translates one mapping.</summary>
    /// <exception cref="WireMockAdminException">A field is missing, has the wrong type or is not supported; the message names it.</exception>
    public static MappingTranslator Translate(JsonObject mapping)
    {
        var name = Text(mapping, "name", "mapping");
        var where = name is null ? "mapping" : $"mapping \"{name}\"";
        Known(mapping, MappingFields, where);
        var id = Text(mapping, "id", where) ?? Text(mapping, "uuid", where);
        Guid guid;
        if (id is null)
        {
            guid = Guid.NewGuid();
        }
        else if (!Guid.TryParse(id, out guid))
        {
            throw new WireMockAdminException($"{where}: id: '{id}' is not a UUID");
        }
        var request = mapping["request"] as JsonObject ?? throw new WireMockAdminException($"{where}: request: required object missing");
        var response = mapping["response"] as JsonObject ?? throw new WireMockAdminException($"{where}: response: required object missing");
        var scenario = Text(mapping, "scenarioName", where);
        var required = Text(mapping, "requiredScenarioState", where);
        var next = Text(mapping, "newScenarioState", where);
        if (scenario is null && (required ?? next) is not null)
        {
            throw new WireMockAdminException($"{where}: requiredScenarioState/newScenarioState need a scenarioName");
        }
        if (scenario is not null && required is null)
        {
            throw new WireMockAdminException($"{where}: scenarioName \"{scenario}\" needs a requiredScenarioState (\"Started\" for the first step)");
        }
        return new MappingTranslator(guid, name, Integer(mapping, "priority", where) ?? DefaultPriority, TranslateRequest(request, where + ": request"), TranslateResponse(response, where + ": response"))
        {
            Scenario = scenario,
            RequiredState = required,
            NewState = next,
        };
    }

    /// <summary>Adds the mapping to <paramref name="server"/>; returns its id.</summary>
    public Guid Register(NetWireMockServer server)
    {
        var provider = server.Given(_request).WithGuid(_id).AtPriority(_priority);
        if (_name is not null)
        {
            provider = provider.WithTitle(_name);
        }
        if (Scenario is not null)
        {
            provider = provider.InScenario(Scenario).WhenStateIs(RequiredState!);
            if (NewState is not null)
            {
                provider = provider.WillSetStateTo(NewState);
            }
        }
        provider.RespondWith(_response);
        return _id;
    }

    private static IRequestBuilder TranslateRequest(JsonObject request, string where)
    {
        Known(request, RequestFields, where);
        var builder = Request.Create();
        var method = Text(request, "method", where);
        if (method is not null && !method.Equals("ANY", StringComparison.OrdinalIgnoreCase))
        {
            builder = builder.UsingMethod(method.ToUpperInvariant());
        }
        var path = Text(request, "urlPath", where) ?? throw new WireMockAdminException($"{where}: urlPath: required (an exact path such as \"/v2/plan\")");
        builder = builder.WithPath(new ExactMatcher(path));
        if (request["headers"] is { } headers)
        {
            foreach (var (header, pattern) in headers as JsonObject ?? throw new WireMockAdminException($"{where}: headers: expected an object"))
            {
                var value = pattern is JsonObject p && p.Count == 1 ? Text(p, "equalTo", $"{where}: headers.{header}") : null;
                builder = builder.WithHeader(header, new ExactMatcher(value ?? throw new WireMockAdminException($"{where}: headers.{header}: only {{\"equalTo\": \"…\"}} is supported")));
            }
        }
        if (request["bodyPatterns"] is { } patterns)
        {
            var checks = (patterns as JsonArray ?? throw new WireMockAdminException($"{where}: bodyPatterns: expected an array"))
                .Select((p, i) => BodyPattern(p as JsonObject, $"{where}: bodyPatterns[{i}]")).ToList();
            builder = builder.WithBody((string? body) => checks.TrueForAll(check => check(body)));
        }
        return builder;
    }

    private static Func<string?, bool> BodyPattern(JsonObject? pattern, string where)
    {
        if (pattern is not { Count: 1 })
        {
            throw new WireMockAdminException($"{where}: expected one of {{\"contains\"}}, {{\"equalTo\"}} or {{\"matchesJsonPath\"}}");
        }
        var (kind, value) = pattern.First();
        switch (kind)
        {
            case "contains":
                var part = Text(pattern, kind, where)!;
                return body => body is not null && body.Contains(part, StringComparison.Ordinal);
            case "equalTo":
                var whole = Text(pattern, kind, where)!;
                return body => body == whole;
            case "matchesJsonPath" when value is JsonObject o:
                Known(o, ["expression", "equalTo"], where + ".matchesJsonPath");
                var expression = Text(o, "expression", where) ?? throw new WireMockAdminException($"{where}.matchesJsonPath: expression: required");
                var expected = Text(o, "equalTo", where) ?? throw new WireMockAdminException($"{where}.matchesJsonPath: equalTo: required (the only comparison supported)");
                JsonBodyPath.Validate(expression, where);
                return body => JsonBodyPath.Matches(body, expression, expected);
            case "matchesJsonPath":
                var path = Text(pattern, kind, where)!;
                JsonBodyPath.Validate(path, where);
                return body => JsonBodyPath.Matches(body, path, null);
            default:
                throw new WireMockAdminException($"{where}: '{kind}' is not supported (contains, equalTo, matchesJsonPath)");
        }
    }

    private static IResponseBuilder TranslateResponse(JsonObject response, string where)
    {
        Known(response, ResponseFields, where);
        var builder = Response.Create().WithStatusCode(Integer(response, "status", where) ?? 200);
        if (response["headers"] is { } headers)
        {
            foreach (var (header, value) in headers as JsonObject ?? throw new WireMockAdminException($"{where}: headers: expected an object"))
            {
                builder = builder.WithHeader(header, Text(headers.AsObject(), header, $"{where}: headers") ?? throw new WireMockAdminException($"{where}: headers.{header}: expected a string"));
            }
        }
        var delay = Integer(response, "fixedDelayMilliseconds", where);
        if (delay is > 0)
        {
            builder = builder.WithDelay(delay.Value);
        }
        if (response["delayDistribution"] is { } distribution)
        {
            builder = RandomDelay(builder, distribution as JsonObject, where + ".delayDistribution");
        }
        var fault = Text(response, "fault", where);
        var proxy = Text(response, "proxyBaseUrl", where);
        var body = Text(response, "body", where) ?? response["jsonBody"]?.ToJsonString(BodyJson);
        if (fault is not null)
        {
            if (!FaultNames.TryParse(fault, out var f) || f.ToWire() != fault)
            {
                throw new WireMockAdminException($"{where}: fault: '{fault}' is not one of {string.Join(", ", Enum.GetValues<Fault>().Select(x => x.ToWire()))}");
            }
            if (body is not null || proxy is not null)
            {
                throw new WireMockAdminException($"{where}: fault: a fault answers instead of a body or proxy; remove body/jsonBody/proxyBaseUrl");
            }
            return builder.WithHeader(FaultMiddleware.Header, fault);
        }
        if (proxy is not null)
        {
            if (body is not null)
            {
                throw new WireMockAdminException($"{where}: proxyBaseUrl: a proxied answer has no body of its own; remove body/jsonBody");
            }
            return builder.WithProxy(Proxy(proxy.TrimEnd('/'), Text(response, "proxyUrlPrefixToRemove", where)));
        }
        if (body is null)
        {
            return builder;
        }
        var templated = response["transformers"] is { } transformers && Transformers(transformers, where);
        if (!templated || !ResponseTemplate.HasPlaceholders(body))
        {
            return builder.WithBody(body);
        }
        var template = ResponseTemplate.Parse(body, jsonStrings: response["jsonBody"] is not null, where);
        return builder.WithCallback(request => new ResponseMessage
        {
            BodyData = new BodyData { BodyAsString = template.Render(request.Body), DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
        });
    }

    private static ProxyAndRecordSettings Proxy(string baseUrl, string? prefixToRemove) => new()
    {
        Url = baseUrl,
        SaveMapping = false,
        SaveMappingToFile = false,
        // WireMock.Net appends the request path to Url; WireMock first removes the prefix from the path
        ReplaceSettings = string.IsNullOrEmpty(prefixToRemove) ? null : new ProxyUrlReplaceSettings { OldValue = baseUrl + prefixToRemove, NewValue = baseUrl },
    };

    private static IResponseBuilder RandomDelay(IResponseBuilder builder, JsonObject? distribution, string where)
    {
        if (distribution is null || Text(distribution, "type", where) != "uniform")
        {
            throw new WireMockAdminException($"{where}: only {{\"type\": \"uniform\", \"lower\": ms, \"upper\": ms}} is supported");
        }
        Known(distribution, ["type", "lower", "upper"], where);
        var lower = Integer(distribution, "lower", where) ?? 0;
        var upper = Integer(distribution, "upper", where) ?? throw new WireMockAdminException($"{where}: upper: required");
        if (lower < 0 || upper < lower)
        {
            throw new WireMockAdminException($"{where}: expected 0 <= lower <= upper, got {lower} and {upper}");
        }
        return upper == lower ? (lower == 0 ? builder : builder.WithDelay(lower)) : builder.WithRandomDelay(lower, upper);
    }

    private static bool Transformers(JsonNode transformers, string where)
    {
        var names = (transformers as JsonArray ?? throw new WireMockAdminException($"{where}: transformers: expected an array")).Select(t => t?.ToString()).ToList();
        var unknown = names.FirstOrDefault(n => n != "response-template");
        if (unknown is not null)
        {
            throw new WireMockAdminException($"{where}: transformers: '{unknown}' is not supported (only \"response-template\")");
        }
        return names.Count > 0;
    }

    private static void Known(JsonObject o, string[] allowed, string where)
    {
        foreach (var (key, _) in o)
        {
            if (Array.IndexOf(allowed, key) < 0)
            {
                throw new WireMockAdminException($"{where}: unknown or unsupported field '{key}' (supported: {string.Join(", ", allowed)})");
            }
        }
    }

    private static string? Text(JsonObject o, string field, string where) => o[field] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var other => throw new WireMockAdminException($"{where}: {field}: expected a string, got {other.ToJsonString()}"),
    };

    private static int? Integer(JsonObject o, string field, string where) => o[field] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<long>(out var l) && l is >= int.MinValue and <= int.MaxValue => (int)l,
        JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
        var other => throw new WireMockAdminException($"{where}: {field}: expected a whole number, got {other.ToJsonString()}"),
    };
}
