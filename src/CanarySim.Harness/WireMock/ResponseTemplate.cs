using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CanarySim.Harness.WireMock;

/// <summary>
/// A response body with WireMock's <c>response-template</c> placeholders. The one helper the stubs use
/// is supported: <c>{{jsonPath request.body '$.agentType'}}</c> becomes the value the expression selects
/// in the request body (empty when nothing matches). Any other <c>{{…}}</c> is refused when loading.
/// </summary>
internal sealed partial class ResponseTemplate
{
    private readonly IReadOnlyList<string> _literals;
    private readonly IReadOnlyList<string> _paths;
    private readonly bool _jsonStrings;

    private ResponseTemplate(IReadOnlyList<string> literals, IReadOnlyList<string> paths, bool jsonStrings)
    {
        _literals = literals;
        _paths = paths;
        _jsonStrings = jsonStrings;
    }

    /// <summary>Whether <paramref name="text"/> holds any placeholder.</summary>
    public static bool HasPlaceholders(string text) => text.Contains("{{", StringComparison.Ordinal);

    /// <summary>
    /// Parses <paramref name="text"/>. With <paramref name="jsonStrings"/> the placeholders sit inside JSON
    /// string literals (a <c>jsonBody</c>) and their values are JSON-escaped when rendered.
    /// </summary>
    /// <exception cref="WireMockAdminException">A placeholder is not <c>{{jsonPath request.body '…'}}</c>; the message starts with <paramref name="where"/>.</exception>
    public static ResponseTemplate Parse(string text, bool jsonStrings, string where)
    {
        var literals = new List<string>();
        var paths = new List<string>();
        var at = 0;
        foreach (Match m in Placeholder().Matches(text))
        {
            var helper = JsonPathHelper().Match(m.Value);
            if (!helper.Success)
            {
                throw new WireMockAdminException($"{where}: unsupported template '{m.Value}': only {{{{jsonPath request.body '<JSONPath>'}}}} is supported");
            }
            var path = helper.Groups["single"].Success ? helper.Groups["single"].Value : helper.Groups["double"].Value;
            JsonBodyPath.Validate(path, where);
            literals.Add(text[at..m.Index]);
            paths.Add(path);
            at = m.Index + m.Length;
        }
        literals.Add(text[at..]);
        return new ResponseTemplate(literals, paths, jsonStrings);
    }

    /// <summary>The body for one request.</summary>
    public string Render(string? requestBody)
    {
        var root = JsonBodyPath.Parse(requestBody);
        var sb = new StringBuilder(_literals[0]);
        for (var i = 0; i < _paths.Count; i++)
        {
            var value = root is null ? "" : JsonBodyPath.Select(root, _paths[i]).Select(JsonBodyPath.Text).FirstOrDefault() ?? "";
            sb.Append(_jsonStrings ? JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString() : value);
            sb.Append(_literals[i + 1]);
        }
        return sb.ToString();
    }

    [GeneratedRegex(@"\{\{.*?\}\}", RegexOptions.Singleline)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^\{\{\s*jsonPath\s+request\.body\s+(?:'(?<single>[^']*)'|\\?""(?<double>[^""\\]*)\\?"")\s*\}\}$")]
    private static partial Regex JsonPathHelper();
}
