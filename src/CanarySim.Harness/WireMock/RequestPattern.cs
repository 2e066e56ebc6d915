namespace CanarySim.Harness.WireMock;

/// <summary>Selects requests from WireMock's request journal (for verification: "v2 received 3 requests").</summary>
/// <param name="UrlPath">Exact path, e.g. <c>/v2/plan</c>; null for any.</param>
/// <param name="Method">HTTP method, or null for any.</param>
/// <param name="BodyContains">Text the body must contain, or null.</param>
/// <param name="JsonPath">JSONPath expression the body must match, or null.</param>
public sealed record RequestPattern(string? UrlPath = null, string? Method = null, string? BodyContains = null, string? JsonPath = null)
{
    /// <summary>Every request.</summary>
    public static RequestPattern Any { get; } = new();

    /// <summary>Requests to exactly <paramref name="path"/>.</summary>
    public static RequestPattern For(string path) => new(path);

    /// <summary>Also requires the body to contain <paramref name="text"/>.</summary>
    public RequestPattern WithBodyContaining(string text) => this with { BodyContains = text };

    /// <summary>Also requires the method.</summary>
    public RequestPattern WithMethod(string method) => this with { Method = method.ToUpperInvariant() };

    /// <summary>Also requires the JSON body to match <paramref name="expression"/>.</summary>
    public RequestPattern WithJsonPath(string expression) => this with { JsonPath = expression };

    /// <summary>A predicate over journaled requests (JSONPath as in stub mappings: <see cref="JsonBodyPath"/>).</summary>
    /// <exception cref="WireMockAdminException"><see cref="JsonPath"/> is not a valid JSONPath expression.</exception>
    public Func<LoggedRequest, bool> Compile()
    {
        if (JsonPath is not null)
        {
            JsonBodyPath.Validate(JsonPath, "request pattern: JsonPath");
        }
        return request =>
            (Method is null || Method == "ANY" || string.Equals(request.Method, Method, StringComparison.OrdinalIgnoreCase))
            && (UrlPath is null || string.Equals(PathOf(request.Url), UrlPath, StringComparison.Ordinal))
            && (BodyContains is null || request.Body.Contains(BodyContains, StringComparison.Ordinal))
            && (JsonPath is null || JsonBodyPath.Matches(request.Body, JsonPath, null));
    }

    private static string PathOf(string url)
    {
        var q = url.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? url : url[..q];
    }
}
