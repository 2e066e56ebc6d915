using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CanarySim.Core;
using CanarySim.Core.Routing;
using CanarySim.Harness.Engines;
using CanarySim.Harness.Scenarios;
using CanarySim.Harness.WireMock;

namespace CanarySim.Harness.Simulation;

/// <summary>
/// <c>--engines wiremock</c>: the simulator's engines are the WireMock-stubbed planners, called over
/// HTTP through <see cref="HttpEngine"/> and the real <see cref="CanaryExecutor"/> (shadow runs both
/// engines concurrently and diffs them; canary falls back to v1 when v2 fails).
/// </summary>
/// <remarks>
/// <para>
/// The simulator keeps deciding everything the seed decides — which engine serves (the real router),
/// each run's latency, quality and cost (virtual time, the plan's distributions), and which runs fail
/// and how (the plan's error rates and injected faults). <see cref="SimulationRun"/> reports each
/// run's seeded outcome (<see cref="Expect"/>) and each wanted diff (<see cref="ExpectDiff"/>) while
/// it records the run; <see cref="Complete"/> then sends the request, carrying those outcomes as
/// directives in the body (<c>"simulation": {"v1": "ok", "v2": "http-500", "divergeTo": …}</c>)
/// that the priority-1 stubs of <c>fixtures/wiremock/faults/planner-directed-faults.json</c> turn
/// into a real HTTP 500, a 3 s delay or an answer of the wrong shape.
/// </para>
/// <para>
/// What HTTP decides: the engines' answers (the decision diff is computed by the real
/// <see cref="DecisionDiff"/> from the stubs' JSON) and whether each run failed, as classified by
/// <see cref="HttpEngine"/> and <see cref="CanaryExecutor"/>. That classification must agree with the
/// seeded outcome, so outputs never depend on the wall clock: a request whose outcome disagrees (say a
/// healthy answer that missed the budget on a loaded machine) is sent again, up to
/// <see cref="WireMockEngineOptions.MismatchRetries"/> times, and then the run stops with a
/// <see cref="SimulationEngineException"/> naming the request.
/// </para>
/// <para>
/// Each body also carries <c>purpose</c> (<c>serve</c>, <c>compare</c> for a diff sample's extra
/// call, <c>smoke</c> for rollback-rehearsal runs, <c>warmup</c>), <c>request</c> (the simulated
/// request's number) and <c>attempt</c>, so the request journal can be checked against the results.
/// </para>
/// </remarks>
internal sealed class WireMockEngines : IDisposable
{
    /// <summary>The mapping files loaded, relative to the fixtures folder, in load order.</summary>
    public static readonly IReadOnlyList<string> MappingFiles =
    [
        "planner-v1.json",
        "planner-v2.json",
        Path.Combine("simulation", "planner-echo.json"),
        Path.Combine("simulation", "planner-v2-diverges.json"),
        Path.Combine("faults", "planner-directed-faults.json"),
    ];

    private enum Run : byte
    {
        None,
        Ok,
        Error,
        Timeout,
        Invalid,
    }

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly WireMockServer _server;
    private readonly bool _ownsServer;
    private readonly HttpClient _http;
    private readonly CountingEngine _v1;
    private readonly CountingEngine _v2;
    private readonly CanaryExecutor _executor;
    private readonly IReadOnlyList<string> _agents;
    private readonly int _retries;
    private readonly Stopwatch _busy = new();
    private long _requests, _comparisons, _retried, _warmup;
    private TimeSpan _startup;

    // the request being recorded
    private bool _active;
    private string? _session, _user;
    private string _agent = "";
    private string _purpose = "";
    private int _agentIndex;
    private RouteDecision _decision;
    private Run _v1Run, _v2Run;
    private bool _diff, _diverges;

    private WireMockEngines(WireMockServer server, bool ownsServer, IReadOnlyList<string> agents, WireMockEngineOptions options)
    {
        _server = server;
        _ownsServer = ownsServer;
        _agents = agents;
        _retries = options.MismatchRetries;
        _http = server.CreateClient();
        var engineOptions = new HttpEngineOptions { Timeout = options.EngineTimeout * 2 };
        _v1 = new CountingEngine(new HttpEngine(Engine.V1, _http, engineOptions));
        _v2 = new CountingEngine(new HttpEngine(Engine.V2, _http, engineOptions));
        // The executor only runs decisions the simulator's router made; its own router supplies the
        // budgets, on the wall clock because the HTTP calls happen in wall time.
        var budgets = new RouterOptions { TimeProvider = TimeProvider.System, V2Timeout = options.EngineTimeout, ShadowTimeout = options.EngineTimeout };
        _executor = new CanaryExecutor(new CanaryRouter(new LiveSettings(RouterSettings.Default), budgets), _v1, _v2);
    }

    /// <summary>Whether a request is being recorded (between <see cref="Begin"/> and <see cref="Complete"/>).</summary>
    public bool Active => _active;

    /// <summary>
    /// Starts (or takes <see cref="WireMockEngineOptions.Server"/>), resets the server, loads
    /// <see cref="MappingFiles"/> and warms up.
    /// </summary>
    /// <exception cref="WireMockSetupException">A mapping file is missing or the server did not start.</exception>
    public static WireMockEngines Start(IReadOnlyList<string> agents, WireMockEngineOptions options, CancellationToken cancellationToken) =>
        StartAsync(agents, options, cancellationToken).GetAwaiter().GetResult();

    private static async Task<WireMockEngines> StartAsync(IReadOnlyList<string> agents, WireMockEngineOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var files = MappingPaths(options.FixturesDirectory);
        var server = options.Server ?? WireMockServer.Start();
        var owns = options.Server is null;
        WireMockEngines? engines = null;
        try
        {
            await server.Admin.ResetAsync(cancellationToken).ConfigureAwait(false);
            foreach (var file in files)
            {
                try
                {
                    await server.Admin.LoadMappingsAsync(file, cancellationToken).ConfigureAwait(false);
                }
                catch (WireMockAdminException e)
                {
                    throw new WireMockSetupException($"a stub file is refused: {e.Message}", e);
                }
            }
            engines = new WireMockEngines(server, owns, agents, options);
            await engines.WarmUpAsync(options.WarmupCalls, cancellationToken).ConfigureAwait(false);
            await server.Admin.ResetRequestsAsync(cancellationToken).ConfigureAwait(false);
            engines._startup = clock.Elapsed;
            return engines;
        }
        catch
        {
            if (engines is not null)
            {
                engines.Dispose();
            }
            else if (owns)
            {
                server.Dispose();
            }
            throw;
        }
    }

    private static List<string> MappingPaths(string? directory)
    {
        string dir;
        try
        {
            dir = directory ?? RepoPaths.Fixture("wiremock");
        }
        catch (DirectoryNotFoundException e)
        {
            throw new WireMockSetupException($"--engines wiremock loads the stubs in fixtures/wiremock of a CanarySim checkout: {e.Message}", e);
        }
        var paths = MappingFiles.Select(f => Path.Combine(dir, f)).ToList();
        var missing = paths.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            throw new WireMockSetupException($"WireMock mapping file{(missing.Count == 1 ? "" : "s")} not found: {string.Join(", ", missing)} (the simulated engines need {string.Join(", ", MappingFiles)} in {dir}).");
        }
        return paths;
    }

    private async Task WarmUpAsync(int calls, CancellationToken cancellationToken)
    {
        if (calls == 0)
        {
            return;
        }
        var agent = _agents[0];
        foreach (var engine in new[] { _v1, _v2 })
        {
            for (var i = 0; i < calls; i++)
            {
                // mostly healthy answers; one failure of each cheap kind warms the failure paths too
                var directive = i == 1 ? Run.Error : i == 2 ? Run.Invalid : Run.Ok;
                var payload = Payload(agent, "warmup", i, 1, directive, directive, null);
                _warmup++;
                try
                {
                    await engine.HandleAsync(new EngineRequest("warmup", null, agent, payload), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException or InvalidEngineOutputException or TimeoutException)
                {
                    // expected for the failure directives; a broken setup shows up in the first simulated request
                }
            }
        }
        _v1.Calls = 0;
        _v2.Calls = 0;
    }

    /// <summary>Starts recording a request routed by the simulator's router.</summary>
    public void Begin(in RouteRequest request, RouteDecision decision, int agentIndex, string purpose = "serve")
    {
        _active = true;
        _session = request.SessionId;
        _user = request.UserId;
        _agent = request.Segment ?? _agents[agentIndex];
        _agentIndex = agentIndex;
        _purpose = purpose;
        _decision = decision;
        _v1Run = Run.None;
        _v2Run = Run.None;
        _diff = false;
        _diverges = false;
    }

    /// <summary>The seeded outcome of one run of <paramref name="engine"/> in the current request.</summary>
    public void Expect(Engine engine, bool error, bool timeout, bool invalid)
    {
        if (!_active)
        {
            return;
        }
        var run = error ? Run.Error : timeout ? Run.Timeout : invalid ? Run.Invalid : Run.Ok;
        if (engine == Engine.V1)
        {
            _v1Run = run;
        }
        else
        {
            _v2Run = run;
        }
    }

    /// <summary>The current request's decisions are diffed; <paramref name="diverges"/>: v2 is to plan for another agent.</summary>
    public void ExpectDiff(bool diverges)
    {
        if (!_active)
        {
            return;
        }
        _diff = true;
        _diverges = diverges;
    }

    /// <summary>Sends the current request to the engines; returns the diff of their real answers when one was wanted.</summary>
    /// <exception cref="SimulationEngineException">The HTTP outcome kept disagreeing with the seeded one.</exception>
    public DecisionDiff? Complete()
    {
        if (!_active)
        {
            return null;
        }
        _active = false;
        _requests++;
        for (var attempt = 1; ; attempt++)
        {
            string? mismatch;
            DecisionDiff? diff;
            _busy.Start();
            try
            {
                (mismatch, diff) = Execute(attempt);
            }
            finally
            {
                _busy.Stop();
            }
            if (mismatch is null)
            {
                return diff;
            }
            if (attempt > _retries)
            {
                throw new SimulationEngineException(string.Create(CultureInfo.InvariantCulture,
                    $"WireMock engines at {_server.BaseUrl}: simulated request {_requests} ({_purpose}, agent '{_agent}', routed to {WireName.Of(_decision.Selected)}{(_decision.RunShadow ? " with a v2 shadow" : "")}, reason {WireName.Of(_decision.Reason)}): {mismatch}, on each of {attempt} attempts. " +
                    $"The seeded outcome is sent as a directive that fixtures/wiremock/faults/planner-directed-faults.json answers; a healthy answer slower than the engine timeout also disagrees (raise it with --engine-timeout-ms)."));
            }
            _retried++;
        }
    }

    /// <summary>What was sent so far.</summary>
    public WireMockRunStats Stats() => new()
    {
        BaseUrl = _server.BaseUrl,
        Requests = _requests,
        V1Calls = _v1.Calls,
        V2Calls = _v2.Calls,
        ComparisonCalls = _comparisons,
        Retries = _retried,
        WarmupCalls = _warmup,
        Elapsed = _busy.Elapsed,
        Startup = _startup,
    };

    private (string? Mismatch, DecisionDiff? Diff) Execute(int attempt)
    {
        var divergeTo = _diff && _diverges ? DivergedAgent() : null;
        var request = new EngineRequest(_session, _user, _agent, Payload(_agent, _purpose, _requests, attempt, _v1Run, _v2Run, divergeTo));
        CanaryRunResult? result = null;
        Exception? thrown = null;
        try
        {
            result = _executor.RunAsync(request, _decision).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // the executor lets only v1's failures through (the served engine, or the fallback)
            thrown = e;
        }

        if (_decision.RunShadow)
        {
            var m = Check("v1", _v1Run, thrown);
            if (m is null && result is not null)
            {
                m = CheckClass("v2 (shadow)", _v2Run, result.ShadowOutcome is "ok" or null ? null : result.ShadowOutcome, result.ShadowOutcome);
            }
            if (m is not null || !_diff)
            {
                return (m, null);
            }
            if (result?.Diff is { } shadowDiff)
            {
                return (null, shadowDiff);
            }
            return Compare(result?.Served, null, attempt, divergeTo);
        }
        if (_decision.Selected == Engine.V1)
        {
            var m = Check("v1", _v1Run, thrown);
            return m is not null || !_diff ? (m, null) : Compare(result?.Served, null, attempt, divergeTo);
        }

        // v2 serves; on failure the executor falls back to v1
        if (_v2Run is Run.Ok or Run.None)
        {
            if (thrown is not null || result is null)
            {
                return ($"v2 was to answer, but the request failed: {Describe(thrown)}", null);
            }
            if (result.Fallback)
            {
                return ($"v2 was to answer, but the executor fell back to v1 ({result.FallbackReason})", null);
            }
            return _diff ? Compare(null, result.Served, attempt, divergeTo) : (null, null);
        }
        if (result is not null)
        {
            var m = result.Fallback
                ? CheckClass("v2", _v2Run, result.FallbackReason, result.FallbackReason)
                : $"v2 was to fail with {Expected(_v2Run)}, but it answered (agent '{result.Served.Agent}')";
            return (m ?? Check("v1 (fallback)", _v1Run, null), null);
        }
        // v1 failed after v2 did: the executor rethrows v1's failure
        return (Check("v1 (fallback)", _v1Run, thrown), null);
    }

    // A diff sample outside shadow: ask the engine that did not answer, healthy, and diff the real answers.
    private (string? Mismatch, DecisionDiff? Diff) Compare(EngineResponse? v1, EngineResponse? v2, int attempt, string? divergeTo)
    {
        var payload = Payload(_agent, "compare", _requests, attempt, Run.Ok, Run.Ok, divergeTo);
        var request = new EngineRequest(_session, _user, _agent, payload);
        try
        {
            if (v1 is null)
            {
                _comparisons++;
                v1 = _v1.HandleAsync(request, CancellationToken.None).GetAwaiter().GetResult();
            }
            if (v2 is null)
            {
                _comparisons++;
                v2 = _v2.HandleAsync(request, CancellationToken.None).GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ($"a comparison call (to diff the decisions) failed: {Describe(e)}", null);
        }
        return (null, DecisionDiff.Compare(v1, v2));
    }

    private string DivergedAgent() => _agents.Count == 1 ? _agent + "_v2" : _agents[(_agentIndex + 1) % _agents.Count];

    private static string? Check(string engine, Run expected, Exception? failure) =>
        CheckClass(engine, expected, failure is null ? null : Classify(failure), Describe(failure));

    private static string? CheckClass(string engine, Run expected, string? actualClass, string? detail)
    {
        var expectedClass = expected switch
        {
            Run.Error => "exception",
            Run.Timeout => "timeout",
            Run.Invalid => "invalid_output",
            _ => null,
        };
        if (expectedClass == actualClass)
        {
            return null;
        }
        return expectedClass is null
            ? $"{engine} was to answer, but failed ({detail})"
            : actualClass is null
                ? $"{engine} was to fail with {Expected(expected)}, but it answered"
                : $"{engine} was to fail with {Expected(expected)}, but failed as '{actualClass}' ({detail})";
    }

    private static string Expected(Run run) => run switch
    {
        Run.Error => "an error (HTTP 500 → 'exception')",
        Run.Timeout => "a timeout",
        Run.Invalid => "an invalid answer ('invalid_output')",
        _ => "an answer",
    };

    // CanaryExecutor's classes, for the failures it lets through (v1's) and HttpEngine's own backstop timeout.
    private static string Classify(Exception e) => e switch
    {
        InvalidEngineOutputException => "invalid_output",
        TimeoutException or OperationCanceledException => "timeout", // HttpEngine surfaces its Polly timeout as a TimeoutException
        _ => "exception",
    };

    private static string Describe(Exception? e) => e is null ? "no exception" : $"{e.GetType().Name}: {e.Message}";

    private static string Directive(Run run) => run switch
    {
        Run.Error => "http-500",
        Run.Timeout => "timeout",
        Run.Invalid => "wrong-shape",
        _ => "ok",
    };

    private static string Payload(string agent, string purpose, long request, int attempt, Run v1, Run v2, string? divergeTo)
    {
        using var buffer = new MemoryStream(256);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("agentType", agent);
            w.WriteString("purpose", purpose);
            w.WriteNumber("request", request);
            w.WriteNumber("attempt", attempt);
            w.WriteStartObject("simulation");
            w.WriteString("v1", Directive(v1));
            w.WriteString("v2", Directive(v2));
            if (divergeTo is not null)
            {
                w.WriteString("divergeTo", divergeTo);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Stops the server when this run started it.</summary>
    public void Dispose()
    {
        _http.Dispose();
        if (_ownsServer)
        {
            _server.Dispose();
        }
    }

    /// <summary>Counts the calls an engine receives (the request journal must show the same numbers).</summary>
    private sealed class CountingEngine(HttpEngine inner) : IEngine
    {
        private long _calls;

        public Engine Version => inner.Version;

        public long Calls
        {
            get => Interlocked.Read(ref _calls);
            set => Interlocked.Exchange(ref _calls, value);
        }

        public Task<EngineResponse> HandleAsync(EngineRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return inner.HandleAsync(request, cancellationToken);
        }
    }
}
