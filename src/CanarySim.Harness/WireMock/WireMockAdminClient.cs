using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CanarySim.Harness.WireMock;

/// <summary>
/// A typed client for a running WireMock server's admin API (<c>/__admin/…</c>): stubs, mapping
/// files, reset, the request journal and scenario states.
/// </summary>
public sealed class WireMockAdminClient
{
    private readonly HttpClient _http;

    /// <summary>The placeholder replaced by the server's root URL when loading mapping files: <c>${WIREMOCK_BASE_URL}</c>.</summary>
    public const string BaseUrlPlaceholder = "${WIREMOCK_BASE_URL}";

    /// <summary>Creates a client for the server at <paramref name="http"/>'s base address (e.g. <c>http://127.0.0.1:8089/</c>).</summary>
    public WireMockAdminClient(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress (the WireMock server's root URL).", nameof(http));
        }
        _http = http;
    }

    /// <summary>True when <c>/__admin/health</c> answers healthy.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var resp = await _http.GetAsync("__admin/health", cancellationToken).ConfigureAwait(false);
            return resp.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Adds a stub; returns its mapping id.</summary>
    public Task<Guid> AddStubAsync(Stub stub, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stub);
        return AddMappingAsync(stub.ToMapping(), cancellationToken);
    }

    /// <summary>Adds a mapping in WireMock's JSON format; returns its id.</summary>
    public async Task<Guid> AddMappingAsync(JsonObject mapping, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var answer = await SendAsync(HttpMethod.Post, "__admin/mappings", mapping, "add mapping", cancellationToken).ConfigureAwait(false);
        var id = answer?["id"]?.GetValue<string>();
        return Guid.TryParse(id, out var g) ? g : throw new WireMockAdminException($"WireMock did not return an id for the added mapping: {answer}");
    }

    /// <summary>
    /// Loads every <c>*.json</c> mapping file of a folder (sorted by name), or one file. A file holds
    /// one mapping object or <c>{"mappings": [...]}</c>. Returns the number of mappings added.
    /// </summary>
    /// <exception cref="WireMockAdminException">A file is not valid JSON or WireMock rejects a mapping; the message names the file.</exception>
    public async Task<int> LoadMappingsAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string[] files;
        if (Directory.Exists(path))
        {
            files = Directory.GetFiles(path, "*.json", SearchOption.TopDirectoryOnly);
            Array.Sort(files, StringComparer.Ordinal);
        }
        else if (File.Exists(path))
        {
            files = [path];
        }
        else
        {
            throw new FileNotFoundException($"No WireMock mapping folder or file at '{path}'.", path);
        }
        var added = 0;
        foreach (var file in files)
        {
            foreach (var mapping in ReadMappingFile(file, _http.BaseAddress))
            {
                try
                {
                    await AddMappingAsync(mapping, cancellationToken).ConfigureAwait(false);
                }
                catch (WireMockAdminException e)
                {
                    throw new WireMockAdminException($"{file}: {e.Message}", e);
                }
                added++;
            }
        }
        return added;
    }

    /// <summary>
    /// Reads the mappings of one file without sending them (one mapping object or <c>{"mappings": [...]}</c>).
    /// <c>${WIREMOCK_BASE_URL}</c> in the text becomes <paramref name="baseUrl"/> (without trailing slash),
    /// so a stub can proxy to another stub on the same server (e.g. an engine turn that calls the LLM stub).
    /// </summary>
    /// <exception cref="WireMockAdminException">The file is not valid JSON or has no mapping; the message names the file and line.</exception>
    public static IReadOnlyList<JsonObject> ReadMappingFile(string file, Uri? baseUrl = null)
    {
        JsonNode? root;
        var text = File.ReadAllText(file);
        if (baseUrl is not null)
        {
            text = text.Replace(BaseUrlPlaceholder, baseUrl.ToString().TrimEnd('/'), StringComparison.Ordinal);
        }
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new WireMockAdminException($"{file}: line {e.LineNumber + 1}: not valid JSON ({e.Message}); expected a WireMock mapping or {{\"mappings\": [...]}}.", e);
        }
        if (root is JsonObject o && o["mappings"] is JsonArray list)
        {
            var result = new List<JsonObject>();
            for (var i = 0; i < list.Count; i++)
            {
                result.Add(list[i] as JsonObject ?? throw new WireMockAdminException($"{file}: mappings[{i}] is not an object; expected a WireMock mapping."));
            }
            return result;
        }
        if (root is JsonObject single && single["request"] is JsonObject)
        {
            return [single];
        }
        throw new WireMockAdminException($"{file}: expected a WireMock mapping (with \"request\" and \"response\") or {{\"mappings\": [...]}}.");
    }

    /// <summary>All mappings currently on the server.</summary>
    public async Task<IReadOnlyList<JsonObject>> GetMappingsAsync(CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync(HttpMethod.Get, "__admin/mappings", null, "list mappings", cancellationToken).ConfigureAwait(false);
        return answer?["mappings"] is JsonArray a ? a.OfType<JsonObject>().ToList() : [];
    }

    /// <summary>Removes one mapping.</summary>
    public Task RemoveMappingAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"__admin/mappings/{id}", null, "remove mapping", cancellationToken);

    /// <summary>Removes every mapping, clears the request journal and resets every scenario to <c>Started</c>.</summary>
    public Task ResetAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "__admin/reset", null, "reset", cancellationToken);

    /// <summary>Clears the request journal only.</summary>
    public Task ResetRequestsAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "__admin/requests", null, "reset request journal", cancellationToken);

    /// <summary>Resets every scenario to <c>Started</c>.</summary>
    public Task ResetScenariosAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "__admin/scenarios/reset", null, "reset scenarios", cancellationToken);

    /// <summary>Every journaled request, oldest first.</summary>
    public async Task<IReadOnlyList<LoggedRequest>> GetRequestsAsync(CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync(HttpMethod.Get, "__admin/requests", null, "list requests", cancellationToken).ConfigureAwait(false);
        var list = answer?["requests"] is JsonArray a
            ? a.OfType<JsonObject>().Select(e => ParseLogged(e["request"] as JsonObject ?? e, e["wasMatched"]?.GetValue<bool>())).ToList()
            : [];
        list.Reverse(); // WireMock lists newest first
        return list;
    }

    /// <summary>Journaled requests matching <paramref name="pattern"/>, oldest first.</summary>
    public async Task<IReadOnlyList<LoggedRequest>> FindRequestsAsync(RequestPattern pattern, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var answer = await SendAsync(HttpMethod.Post, "__admin/requests/find", pattern.ToJson(), "find requests", cancellationToken).ConfigureAwait(false);
        return answer?["requests"] is JsonArray a ? a.OfType<JsonObject>().Select(r => ParseLogged(r, null)).OrderBy(r => r.LoggedAt).ToList() : [];
    }

    /// <summary>How many journaled requests match <paramref name="pattern"/>.</summary>
    public async Task<int> CountRequestsAsync(RequestPattern pattern, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var answer = await SendAsync(HttpMethod.Post, "__admin/requests/count", pattern.ToJson(), "count requests", cancellationToken).ConfigureAwait(false);
        return answer?["count"]?.GetValue<int>() ?? 0;
    }

    /// <summary>Journaled requests no stub matched (the usual cause of "missing stub" failures), oldest first.</summary>
    public async Task<IReadOnlyList<LoggedRequest>> GetUnmatchedRequestsAsync(CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync(HttpMethod.Get, "__admin/requests/unmatched", null, "list unmatched requests", cancellationToken).ConfigureAwait(false);
        return answer?["requests"] is JsonArray a ? a.OfType<JsonObject>().Select(r => ParseLogged(r, false)).OrderBy(r => r.LoggedAt).ToList() : [];
    }

    /// <summary>Every scenario and its current state.</summary>
    public async Task<IReadOnlyList<ScenarioState>> GetScenariosAsync(CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync(HttpMethod.Get, "__admin/scenarios", null, "list scenarios", cancellationToken).ConfigureAwait(false);
        if (answer?["scenarios"] is not JsonArray a)
        {
            return [];
        }
        return a.OfType<JsonObject>().Select(s => new ScenarioState(
            s["name"]?.GetValue<string>() ?? "",
            s["state"]?.GetValue<string>() ?? ScenarioStates.Started,
            s["possibleStates"] is JsonArray ps ? ps.Select(x => x?.GetValue<string>() ?? "").ToList() : [])).ToList();
    }

    /// <summary>The current state of one scenario, or null when no stub mentions it.</summary>
    public async Task<string?> GetScenarioStateAsync(string scenario, CancellationToken cancellationToken = default)
    {
        var all = await GetScenariosAsync(cancellationToken).ConfigureAwait(false);
        return all.FirstOrDefault(s => s.Name == scenario)?.State;
    }

    /// <summary>Moves a scenario to <paramref name="state"/> (e.g. to start a conversation mid-flow).</summary>
    public Task SetScenarioStateAsync(string scenario, string state, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"__admin/scenarios/{Uri.EscapeDataString(scenario)}/state", new JsonObject { ["state"] = state }, "set scenario state", cancellationToken);

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, string operation, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new WireMockAdminException($"WireMock admin call '{operation}' ({method} /{path}) failed: {e.Message}. Is the server at {_http.BaseAddress} running?", e);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new WireMockAdminException($"WireMock admin call '{operation}' ({method} /{path}) answered {(int)response.StatusCode}: {Trim(text)}");
            }
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    private static LoggedRequest ParseLogged(JsonObject r, bool? matched)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (r["headers"] is JsonObject h)
        {
            foreach (var (k, v) in h)
            {
                headers[k] = v switch
                {
                    JsonArray arr => arr.FirstOrDefault()?.ToString() ?? "",
                    null => "",
                    _ => v.ToString(),
                };
            }
        }
        var logged = r["loggedDate"] is JsonValue lv && lv.TryGetValue<long>(out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : r["loggedDateString"] is JsonValue sv && DateTimeOffset.TryParse(sv.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : DateTimeOffset.MinValue;
        return new LoggedRequest(
            r["method"]?.GetValue<string>() ?? "",
            r["url"]?.GetValue<string>() ?? "",
            r["body"]?.GetValue<string>() ?? "",
            headers,
            logged,
            matched);
    }

    private static string Trim(string text) => text.Length <= 2000 ? text : text[..2000] + "…";
}
