namespace CanarySim.Harness.WireMock;

/// <summary>One request from WireMock's request journal.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Url">Path and query as received.</param>
/// <param name="Body">Body text (empty when none).</param>
/// <param name="Headers">Request headers (first value of each).</param>
/// <param name="LoggedAt">When WireMock logged it (the server's wall clock).</param>
/// <param name="WasMatched">Whether a stub answered it (null when the journal call does not say).</param>
public sealed record LoggedRequest(
    string Method,
    string Url,
    string Body,
    IReadOnlyDictionary<string, string> Headers,
    DateTimeOffset LoggedAt,
    bool? WasMatched);
