using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CanarySim.Core.Documents;
using DevLab.JmesPath;

namespace CanarySim.Harness.WireMock;

/// <summary>
/// What the mapping schema cannot say and WireMock.Net would accept silently, checked on a mapping whose shape
/// is valid: every JMESPath and regular expression parses, a JsonPartialMatcher names plain fields with text, number,
/// true/false or object values; a response template sits in a string of
/// <c>BodyAsJson</c>, uses only <c>{{JsonPath.SelectToken request.body '&lt;JSONPath&gt;'}}</c> (WireMock.Net reports
/// any other helper only when a request arrives) and is switched on; a fault answers with nothing else; a body is
/// given once; one kind of delay, the smaller bound first.
/// </summary>
internal static partial class MappingRules
{
    private static readonly JmesPath Jmes = new();

    /// <summary>The problems of one mapping: the field path inside it (<c>Response.Body</c>) and what is wrong.</summary>
    public static IEnumerable<(string Path, string Message)> Check(JsonObject mapping)
    {
        if (mapping["Request"]?["Body"] is JsonObject body)
        {
            var matchers = body["Matcher"] is JsonObject one ? [("Request.Body.Matcher", one)] :
                (body["Matchers"] as JsonArray ?? []).Select((m, i) => ($"Request.Body.Matchers[{i}]", (JsonObject)m!)).ToList();
            if (matchers.Count == 0)
            {
                yield return ("Request.Body", "expected 'Matcher' or 'Matchers'");
            }
            if (body.ContainsKey("Matcher") && body.ContainsKey("Matchers"))
            {
                yield return ("Request.Body", "give either 'Matcher' or 'Matchers', not both");
            }
            foreach (var (path, matcher) in matchers)
            {
                foreach (var (field, message) in MatcherProblems(matcher))
                {
                    yield return (JsonFieldLines.Join(path, field), message);
                }
            }
        }
        if (mapping["Response"] is not JsonObject response)
        {
            yield break;
        }
        foreach (var problem in ResponseProblems(response))
        {
            yield return ($"Response.{problem.Field}", problem.Message);
        }
    }

    private static IEnumerable<(string Field, string Message)> MatcherProblems(JsonObject matcher)
    {
        var name = matcher["Name"]!.GetValue<string>();
        if (name == "JsonPartialMatcher")
        {
            if (matcher["Pattern"] is not JsonObject fields)
            {
                yield return ("Pattern", "expected an object of fields and the values they must have, e.g. {\"agentType\": \"SICK_CALLER\"}");
                yield break;
            }
            foreach (var fieldProblem in PartialProblems(fields, "Pattern", matcher["Regex"]?.GetValue<bool>() == true))
            {
                yield return fieldProblem;
            }
            yield break;
        }
        if (matcher.ContainsKey("Regex"))
        {
            yield return ("Regex", $"only JsonPartialMatcher reads 'Regex'; {name} would ignore it");
        }
        if (matcher["Pattern"] is not JsonValue value || !value.TryGetValue<string>(out var pattern))
        {
            yield return ("Pattern", $"{name} expects text, got an object");
            yield break;
        }
        if (TextPatternProblem(name, pattern) is { } problem)
        {
            yield return ("Pattern", problem);
        }
    }

    // WireMock.Net reads each key as a JSONPath into the body, compares a text only with text, a number only with a
    // number, and takes an array as "any element"; so keys are plain names (nest objects for inner fields) and
    // values are text, numbers, true/false or objects.
    private static IEnumerable<(string Field, string Message)> PartialProblems(JsonObject fields, string path, bool regex)
    {
        foreach (var (key, node) in fields)
        {
            var field = JsonFieldLines.Join(path, key);
            if (!PlainName().IsMatch(key))
            {
                yield return (field, $"'{key}' is not a plain field name (letters, digits, '_' or '-'); write an inner field as a nested object");
            }
            switch (node)
            {
                case JsonObject inner:
                    foreach (var innerProblem in PartialProblems(inner, field, regex))
                    {
                        yield return innerProblem;
                    }
                    break;
                case JsonValue v when v.TryGetValue<string>(out var text):
                    if (regex && TextPatternProblem("RegexMatcher", text) is { } problem)
                    {
                        yield return (field, problem);
                    }
                    break;
                case JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    break;
                default:
                    yield return (field, $"expected text, a number, true/false or an object, got {(node is JsonArray ? "a list" : "null")}");
                    break;
            }
        }
    }

    private static string? TextPatternProblem(string name, string pattern)
    {
        switch (name)
        {
            case "JmesPathMatcher":
                try
                {
                    _ = Jmes.Parse(pattern);
                    return null;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    return $"'{pattern}' is not a JMESPath expression ({e.Message.Trim()})";
                }
            case "RegexMatcher":
                try
                {
                    _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
                    return null;
                }
                catch (ArgumentException e)
                {
                    return $"'{pattern}' is not a regular expression ({e.Message})";
                }
            default:
                return null;
        }
    }

    private static IEnumerable<(string Field, string Message)> ResponseProblems(JsonObject response)
    {
        var fault = response["Headers"]?[FaultMiddleware.Header]?.GetValue<string>();
        if (fault is not null)
        {
            foreach (var field in new[] { "Body", "BodyAsJson", "ProxyUrl", "UseTransformer" }.Where(response.ContainsKey))
            {
                yield return (field, $"a fault ({FaultMiddleware.Header}: {fault}) answers instead of a body or proxy; remove '{field}'");
            }
        }
        if (response.ContainsKey("Body") && response.ContainsKey("BodyAsJson"))
        {
            yield return ("BodyAsJson", "give either 'Body' or 'BodyAsJson', not both");
        }
        if (response.ContainsKey("ProxyUrl"))
        {
            foreach (var field in new[] { "Body", "BodyAsJson", "StatusCode" }.Where(response.ContainsKey))
            {
                yield return (field, $"a proxied answer comes from ProxyUrl; remove '{field}'");
            }
        }
        if (response.ContainsKey("Delay") && response.ContainsKey("MinimumRandomDelay"))
        {
            yield return ("Delay", "give either 'Delay' or 'MinimumRandomDelay'/'MaximumRandomDelay', not both");
        }
        if (response["MinimumRandomDelay"]?.GetValue<long>() is { } lower && response["MaximumRandomDelay"]?.GetValue<long>() is { } upper && upper < lower)
        {
            yield return ("MaximumRandomDelay", $"expected at least MinimumRandomDelay ({lower}), got {upper}");
        }
        var templated = response["UseTransformer"]?.GetValue<bool>() == true;
        foreach (var (field, text) in Strings(response["BodyAsJson"], "BodyAsJson"))
        {
            if (TemplateProblem(text, templated) is { } problem)
            {
                yield return (field, problem);
            }
        }
        foreach (var (field, text) in Strings(response["Body"], "Body").Concat(Strings(response["Headers"], "Headers")))
        {
            if (text.Contains("{{", StringComparison.Ordinal))
            {
                yield return (field, $"'{text}': templates are rendered only inside the strings of BodyAsJson");
            }
        }
        if (templated && !response.ContainsKey("BodyAsJson"))
        {
            yield return ("UseTransformer", "templates are rendered only inside the strings of BodyAsJson, and there is none");
        }
    }

    private static string? TemplateProblem(string text, bool templated)
    {
        if (!text.Contains("{{", StringComparison.Ordinal) && !text.Contains("}}", StringComparison.Ordinal))
        {
            return null;
        }
        if (!templated)
        {
            return $"'{text}' holds a template placeholder but UseTransformer is not true, so it would be sent as written";
        }
        foreach (Match m in Placeholder().Matches(text))
        {
            var helper = SelectToken().Match(m.Value);
            if (!helper.Success)
            {
                return $"unsupported template '{m.Value}': only {{{{JsonPath.SelectToken request.body '<JSONPath>'}}}} is supported";
            }
            try
            {
                JsonBodyPath.Validate(helper.Groups["path"].Value, "");
            }
            catch (WireMockAdminException e)
            {
                return $"template '{m.Value}':{e.Message}";
            }
        }
        var rest = Placeholder().Replace(text, "");
        return rest.Contains("{{", StringComparison.Ordinal) || rest.Contains("}}", StringComparison.Ordinal)
            ? $"'{text}' has an unclosed template placeholder ('{{{{' without '}}}}' or the reverse)"
            : null;
    }

    /// <summary><paramref name="text"/> with each <c>{{JsonPath.SelectToken request.body '…'}}</c> replaced by <paramref name="value"/> of its JSONPath.</summary>
    public static string RenderSelectTokens(string text, Func<string, string> value) =>
        Placeholder().Replace(text, m => SelectToken().Match(m.Value) is { Success: true } helper ? value(helper.Groups["path"].Value) : m.Value);

    private static IEnumerable<(string Field, string Text)> Strings(JsonNode? node, string path) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value, $"{path}.{p.Key}")),
        JsonArray a => a.SelectMany((n, i) => Strings(n, $"{path}[{i}]")),
        JsonValue v when v.TryGetValue<string>(out var s) => [(path, s)],
        _ => [],
    };

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_-]*$")]
    private static partial Regex PlainName();

    [GeneratedRegex(@"\{\{.*?\}\}", RegexOptions.Singleline)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^\{\{\s*JsonPath\.SelectToken\s+request\.body\s+'(?<path>[^']*)'\s*\}\}$")]
    private static partial Regex SelectToken();
}
