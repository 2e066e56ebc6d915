using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace CanarySim.Harness.WireMock;

/// <summary>
/// JSONPath over a request body with WireMock's meaning: <c>matchesJsonPath</c> holds when the
/// expression selects at least one non-null value (with <c>equalTo</c>: one whose text equals it), and
/// a filter at the root (<c>$[?(@.agentType == 'X')]</c>) tests the body object itself.
/// </summary>
public static class JsonBodyPath
{
    /// <summary>Throws when <paramref name="expression"/> is not a JSONPath expression.</summary>
    /// <exception cref="WireMockAdminException">The expression does not parse; the message starts with <paramref name="where"/>.</exception>
    public static void Validate(string expression, string where)
    {
        try
        {
            _ = new JArray().SelectTokens(expression).ToList();
        }
        catch (Exception e) when (e is JsonException or IndexOutOfRangeException or ArgumentException)
        {
            throw new WireMockAdminException($"{where}: '{expression}' is not a JSONPath expression ({e.Message})", e);
        }
    }

    /// <summary>Whether <paramref name="body"/> is JSON and <paramref name="expression"/> selects a non-null value (equal to <paramref name="equalTo"/> when given).</summary>
    public static bool Matches(string? body, string expression, string? equalTo)
    {
        var root = Parse(body);
        return root is not null && Select(root, expression).Any(t => equalTo is null || Text(t) == equalTo);
    }

    // One request's body is tested by every mapping of its path on one thread: parse it once.
    [ThreadStatic]
    private static string? _lastBody;

    [ThreadStatic]
    private static JToken? _lastRoot;

    /// <summary>The body as JSON, or null when it is empty or not JSON. Callers must not change the token.</summary>
    public static JToken? Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }
        if (ReferenceEquals(body, _lastBody))
        {
            return _lastRoot;
        }
        JToken? root;
        try
        {
            root = JToken.Parse(body);
        }
        catch (JsonException)
        {
            root = null;
        }
        _lastBody = body;
        _lastRoot = root;
        return root;
    }

    /// <summary>The non-null values <paramref name="expression"/> selects.</summary>
    public static IEnumerable<JToken> Select(JToken root, string expression)
    {
        var target = root is JObject && expression.StartsWith("$[?", StringComparison.Ordinal) ? new JArray(root.DeepClone()) : root;
        IEnumerable<JToken> selected;
        try
        {
            selected = target.SelectTokens(expression).ToList();
        }
        catch (Exception e) when (e is JsonException or IndexOutOfRangeException or ArgumentException)
        {
            return [];
        }
        return selected.Where(t => t.Type != JTokenType.Null);
    }

    /// <summary>A selected value as text: strings as they are, anything else as compact JSON.</summary>
    public static string Text(JToken token) => token.Type switch
    {
        JTokenType.String => token.Value<string>() ?? "",
        JTokenType.Integer or JTokenType.Float => Convert.ToString(((JValue)token).Value, CultureInfo.InvariantCulture) ?? "",
        _ => token.ToString(Formatting.None),
    };
}
