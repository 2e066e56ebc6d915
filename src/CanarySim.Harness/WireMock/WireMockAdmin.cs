using System.Text.Json.Nodes;
using Newtonsoft.Json;
using WireMock.Admin.Mappings;
using WireMock.Logging;
using NetWireMockServer = WireMock.Server.WireMockServer;

namespace CanarySim.Harness.WireMock;

/// <summary>
/// Stubs, mapping files, reset, the request journal and scenario states of an in-process
/// <see cref="WireMockServer"/>. Mappings are WireMock.Net's own mapping JSON (the files under
/// <c>fixtures/wiremock/</c>), checked by <see cref="MappingFile"/> and then read by WireMock.Net itself;
/// every scenario starts in <c>Started</c> (WireMock.Net's own start state is none).
/// The request journal holds the requests that arrived since the last reset; reading it waits (at most
/// <see cref="JournalWaitLimit"/>) for the answers still pending, so a delayed stub's request is counted.
/// </summary>
public sealed class WireMockAdmin
{
    /// <summary>How long a journal read waits for requests still being answered: 30 seconds.</summary>
    public static readonly TimeSpan JournalWaitLimit = TimeSpan.FromSeconds(30);

    private readonly NetWireMockServer _server;
    private readonly Uri _baseUrl;
    private readonly InFlightRequests _inFlight;
    private readonly bool _handlebarsTemplates;
    private long _journalSinceTicks;
    private readonly Lock _lock = new();
    private readonly List<(Guid Id, JsonObject Mapping)> _mappings = [];
    private readonly SortedDictionary<string, SortedSet<string>> _scenarios = new(StringComparer.Ordinal);

    internal WireMockAdmin(NetWireMockServer server, Uri baseUrl, InFlightRequests inFlight, bool handlebarsTemplates = false)
    {
        _server = server;
        _baseUrl = baseUrl;
        _inFlight = inFlight;
        _handlebarsTemplates = handlebarsTemplates;
    }

    /// <summary>True while the server is listening.</summary>
    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default) => Task.FromResult(_server.IsStarted);

    /// <summary>Adds a stub; returns its mapping id.</summary>
    /// <exception cref="WireMockAdminException">The stub is refused (see <see cref="MappingFile.Check"/>).</exception>
    public Task<Guid> AddStubAsync(Stub stub, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stub);
        return AddMappingAsync(stub.ToMapping(), cancellationToken);
    }

    /// <summary>Adds a mapping in WireMock.Net's mapping JSON (the format of <c>fixtures/wiremock/</c>); returns its id (its <c>Guid</c>, or a new one).</summary>
    /// <exception cref="WireMockAdminException">The mapping is invalid or uses an unsupported field; the message names the field.</exception>
    public Task<Guid> AddMappingAsync(JsonObject mapping, CancellationToken cancellationToken = default)
    {
        MappingFile.Check(mapping);
        return Task.FromResult(Register(mapping));
    }

    /// <summary>
    /// Loads every <c>*.json</c> mapping file of a folder (sorted by name), or one file (see <see cref="MappingFile.Read"/>).
    /// A bad file is refused before any of its mappings is added. Returns the number of mappings added.
    /// </summary>
    /// <exception cref="WireMockAdminException">A file is not valid JSON or a mapping is refused; the message names the file, line and field.</exception>
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
            foreach (var mapping in MappingFile.Read(file, _baseUrl))
            {
                try
                {
                    Register(mapping);
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

    /// <summary>Every mapping added since the last reset (as given, plus its <c>id</c>), oldest first.</summary>
    public Task<IReadOnlyList<JsonObject>> GetMappingsAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<JsonObject>>(_mappings.Select(m => (JsonObject)m.Mapping.DeepClone()).ToList());
        }
    }

    /// <summary>Removes one mapping.</summary>
    /// <exception cref="WireMockAdminException">No mapping has that id.</exception>
    public Task RemoveMappingAsync(Guid id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_mappings.RemoveAll(m => m.Id == id) == 0 || !_server.DeleteMapping(id))
            {
                throw new WireMockAdminException($"remove mapping: no mapping with id {id}.");
            }
            return Task.CompletedTask;
        }
    }

    /// <summary>Removes every mapping, clears the request journal and forgets every scenario.</summary>
    public Task ResetAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _server.ResetMappings();
            ClearJournal();
            _server.ResetScenarios();
            _mappings.Clear();
            _scenarios.Clear();
            return Task.CompletedTask;
        }
    }

    /// <summary>Clears the request journal only.</summary>
    public Task ResetRequestsAsync(CancellationToken cancellationToken = default)
    {
        ClearJournal();
        return Task.CompletedTask;
    }

    /// <summary>Moves every scenario back to <c>Started</c>.</summary>
    public Task ResetScenariosAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            foreach (var name in _scenarios.Keys)
            {
                _server.SetScenarioState(name, ScenarioStates.Started);
            }
            return Task.CompletedTask;
        }
    }

    /// <summary>Every journaled request, oldest first.</summary>
    public async Task<IReadOnlyList<LoggedRequest>> GetRequestsAsync(CancellationToken cancellationToken = default) =>
        await JournalAsync(null, cancellationToken).ConfigureAwait(false);

    /// <summary>Journaled requests matching <paramref name="pattern"/>, oldest first.</summary>
    public async Task<IReadOnlyList<LoggedRequest>> FindRequestsAsync(RequestPattern pattern, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var match = pattern.Compile();
        return (await JournalAsync(pattern.UrlPath, cancellationToken).ConfigureAwait(false)).Where(match).ToList();
    }

    /// <summary>How many journaled requests match <paramref name="pattern"/>.</summary>
    public async Task<int> CountRequestsAsync(RequestPattern pattern, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var match = pattern.Compile();
        return (await JournalAsync(pattern.UrlPath, cancellationToken).ConfigureAwait(false)).Count(match);
    }

    /// <summary>Journaled requests no stub matched (the usual cause of "missing stub" failures), oldest first.</summary>
    public async Task<IReadOnlyList<LoggedRequest>> GetUnmatchedRequestsAsync(CancellationToken cancellationToken = default) =>
        (await JournalAsync(null, cancellationToken).ConfigureAwait(false)).Where(r => r.WasMatched == false).ToList();

    /// <summary>Every scenario a mapping mentions, with its current state and the states its mappings mention.</summary>
    public Task<IReadOnlyList<ScenarioState>> GetScenariosAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ScenarioState>>(
                _scenarios.Select(s => new ScenarioState(s.Key, CurrentState(s.Key), s.Value.ToList())).ToList());
        }
    }

    /// <summary>The current state of one scenario, or null when no mapping mentions it.</summary>
    public Task<string?> GetScenarioStateAsync(string scenario, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_scenarios.ContainsKey(scenario) ? CurrentState(scenario) : null);
        }
    }

    /// <summary>Moves a scenario to <paramref name="state"/> (e.g. to start a conversation mid-flow).</summary>
    /// <exception cref="WireMockAdminException">No mapping mentions the scenario.</exception>
    public Task SetScenarioStateAsync(string scenario, string state, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(state);
        lock (_lock)
        {
            if (!_scenarios.ContainsKey(scenario))
            {
                throw new WireMockAdminException($"set scenario state: no mapping mentions scenario '{scenario}' (known: {string.Join(", ", _scenarios.Keys)}).");
            }
            _server.SetScenarioState(scenario, state);
            return Task.CompletedTask;
        }
    }

    // WireMock.Net reads the mapping itself (its admin API's model); only the scenario bookkeeping is ours
    private Guid Register(JsonObject mapping)
    {
        var stored = (JsonObject)mapping.DeepClone();
        var id = stored["Guid"]?.GetValue<string>() is { } given ? Guid.Parse(given) : Guid.NewGuid();
        stored["Guid"] = id.ToString();
        var model = JsonConvert.DeserializeObject<MappingModel>(stored.ToJsonString())
            ?? throw new WireMockAdminException("expected a mapping object");
        var templated = model.Response.UseTransformer == true && !_handlebarsTemplates;
        if (templated)
        {
            model.Response.UseTransformer = null;
            model.Response.TransformerType = null;
            model.Response.TransformerReplaceNodeOptions = null;
        }
        lock (_lock)
        {
            try
            {
                _server.WithMapping(model);
            }
            catch (Exception e) when (e is NotSupportedException or ArgumentException or FormatException or JsonException)
            {
                throw new WireMockAdminException($"mapping \"{model.Title}\": WireMock.Net refused it: {e.Message}", e);
            }
            if (templated)
            {
                RenderTemplatesOf(id);
            }
            _mappings.Add((id, stored));
            if (model.Scenario is { } scenario)
            {
                if (!_scenarios.TryGetValue(scenario, out var states))
                {
                    states = new SortedSet<string>(StringComparer.Ordinal) { ScenarioStates.Started };
                    _scenarios[scenario] = states;
                    _server.SetScenarioState(scenario, ScenarioStates.Started);
                }
                states.Add(model.WhenStateIs ?? ScenarioStates.Started);
                if (model.SetStateTo is { } next)
                {
                    states.Add(next);
                }
            }
        }
        return id;
    }

    // The same mapping as WireMock.Net read it (request matcher, priority, scenario, answer), answering through JsonPathAnswer.
    private void RenderTemplatesOf(Guid id)
    {
        var read = _server.Mappings.Single(m => m.Guid == id);
        var again = _server.Given(read.RequestMatcher).WithGuid(id).AtPriority(read.Priority);
        if (read.Title is { } title)
        {
            again = again.WithTitle(title);
        }
        if (read.Scenario is { } scenario)
        {
            again = again.InScenario(scenario).WhenStateIs(read.ExecutionConditionState!);
            if (read.NextState is { } next)
            {
                again = again.WillSetStateTo(next);
            }
        }
        again.RespondWith(new JsonPathAnswer(read.Provider!));
    }

    private string CurrentState(string scenario) =>
        _server.Scenarios.TryGetValue(scenario, out var s) && s.NextState is { } state ? state : ScenarioStates.Started;

    // requests that arrived before the last reset but were answered after it stay out
    private void ClearJournal()
    {
        Interlocked.Exchange(ref _journalSinceTicks, _inFlight.Now.Ticks);
        _server.ResetLogEntries();
    }

    // path: the one path the reader selects (requests still being answered on other paths are not waited for), or null
    private async Task<List<LoggedRequest>> JournalAsync(string? path, CancellationToken cancellationToken)
    {
        var since = new DateTime(Interlocked.Read(ref _journalSinceTicks), DateTimeKind.Utc);
        await _inFlight.WaitForArrivedSinceAsync(since, path, JournalWaitLimit, cancellationToken).ConfigureAwait(false);
        return _server.LogEntries
            .Where(e => e.RequestMessage.DateTime >= since)
            .Select(ToLogged)
            .OrderBy(r => r.LoggedAt)
            .ToList();
    }

    private static LoggedRequest ToLogged(ILogEntry entry)
    {
        var request = entry.RequestMessage;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (request.Headers is { } h)
        {
            foreach (var (name, values) in h)
            {
                headers[name] = values.FirstOrDefault() ?? "";
            }
        }
        var url = new Uri(request.Url).PathAndQuery;
        var at = new DateTimeOffset(DateTime.SpecifyKind(request.DateTime, DateTimeKind.Utc));
        return new LoggedRequest(request.Method, url, request.Body ?? "", headers, at, entry.MappingGuid is not null);
    }
}
