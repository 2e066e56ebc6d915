using System.Text.Json;
using System.Text.Json.Nodes;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using CanarySim.Service.Auth;
using CanarySim.Service.Guard;
using CanarySim.Service.Metrics;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace CanarySim.Service.Api;

/// <summary>
/// SPEC §5 / seed 001 PR2: the guard API. Reads are open; every mutating endpoint needs the ops
/// token (<see cref="OpsTokenFilter"/>). A bad body gets 400 with a reason and changes nothing.
/// </summary>
internal static partial class GuardEndpoints
{
    public static void Map(WebApplication app)
    {
        var guard = app.MapGroup("/guard").WithTags("guard");
        var mutating = guard.MapGroup("").AddEndpointFilter<OpsTokenFilter>();

        guard.MapGet("/health", Health)
            .WithSummary("Health check: the store answers and the guard is wired.")
            .Produces<HealthView>()
            .Produces<HealthView>(StatusCodes.Status503ServiceUnavailable);

        guard.MapGet("/status", (GuardRuntime runtime) => Results.Json(runtime.Status(), GuardJson.Options))
            .WithSummary("Settings, v1/v2 window aggregates, last evaluation with breaches, thresholds, timeline, chart series.")
            .Produces<StatusView>();

        mutating.MapPut("/config", PutConfig)
            .WithSummary("Change canary_pct, kill_switch, mode, salt, phase, segments or cohort, with updated_by and a reason (recorded in the settings history).")
            .JsonEndpoint<ConfigRequestBody, ConfigResponse>();

        mutating.MapPost("/rollback", PostRollback)
            .WithSummary("Manual rollback: kill switch on, canary 0 %, recorded with actor and reason.")
            .JsonEndpoint<RollbackRequestBody, RollbackResponse>();

        mutating.MapPost("/resume", PostResume)
            .WithSummary("Resume after a pause, a staged rollback in progress or a manual-review flag, and start a new analysis run; recorded with actor and reason. 409 when rolled back (re-enable with PUT /guard/config kill_switch=false).")
            .JsonEndpoint<RollbackRequestBody, RollbackResponse>()
            .Produces<ApiError>(StatusCodes.Status409Conflict);

        mutating.MapPost("/evaluate", PostEvaluate)
            .WithSummary("Run the regression detector now; a breach may roll back. Returns the SPEC §2 verdict plus action_taken and change.")
            .Produces<JsonObject>()
            .ProducesAuthErrors();

        mutating.MapPost("/samples", PostSamples)
            .WithSummary("Ingest one sample (object) or a batch (array) in the SPEC §2 sample format; 'at' defaults to now. All or nothing.")
            .JsonEndpoint<SampleBody[], IngestResponse>();

        mutating.MapPost("/diffs", PostDiffs)
            .WithSummary("Report shadow decision comparisons made by an application with its own engines (one object or an array; agent_v1, agent_v2, changed, optional count), counted in planner_decision_diff_total. All or nothing.")
            .JsonEndpoint<DiffReportBody[], DiffReportResponse>();

        mutating.MapPost("/route", PostRoute)
            .WithSummary("One routing decision (SPEC §1) for a session/user/segment, so any language can use the router over HTTP.")
            .JsonEndpoint<RouteRequestBody, RouteResponse>(bodyRequired: false);

        MetricsEndpoint.Map(app);

        // Count refused requests per endpoint pattern (bounded label set).
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Response.StatusCode is >= 400 and < 500)
            {
                var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "other";
                context.RequestServices.GetRequiredService<GuardMetrics>().RecordRejected(pattern, context.Response.StatusCode);
            }
        });
    }

    private static IResult Health(GuardRuntime runtime)
    {
        try
        {
            _ = runtime.Status().Settings;
            return Results.Json(new HealthView("ok", runtime.DatabasePath, runtime.AuthRequired, runtime.InsecureDev, runtime.EvaluationCount, null), GuardJson.Options);
        }
        catch (Exception ex)
        {
            return Results.Json(new HealthView("unhealthy", runtime.DatabasePath, runtime.AuthRequired, runtime.InsecureDev, runtime.EvaluationCount, ex.Message),
                GuardJson.Options, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static async Task<IResult> PutConfig(HttpRequest request, GuardRuntime runtime, IOptions<GuardServiceOptions> options, CancellationToken ct)
    {
        var o = options.Value;
        var (doc, error) = await JsonBody.ReadAsync(request, o.MaxRequestBodyBytes, allowEmpty: false, ct);
        if (error is not null)
        {
            return error;
        }
        using (doc)
        {
            if (!ConfigUpdate.TryParse(doc!.RootElement, o.MaxReasonLength, out var update, out var reason))
            {
                return ApiErrors.BadRequest(reason);
            }
            var changes = runtime.ApplyConfig(update!);
            return Results.Json(new ConfigResponse(SettingsView.From(runtime.Live.Current), changes.Select(ChangeView.From).ToList()), GuardJson.Options);
        }
    }

    private static async Task<IResult> PostRollback(HttpRequest request, GuardRuntime runtime, IOptions<GuardServiceOptions> options, CancellationToken ct)
    {
        var (who, error) = await ReadActorAndReasonAsync(request, options.Value, "roll back", ct);
        if (error is not null)
        {
            return error;
        }
        var change = runtime.Rollback(who.Actor, who.Reason);
        return Results.Json(new RollbackResponse(SettingsView.From(runtime.Live.Current), ChangeView.From(change)), GuardJson.Options);
    }

    private static async Task<IResult> PostResume(HttpRequest request, GuardRuntime runtime, IOptions<GuardServiceOptions> options, CancellationToken ct)
    {
        var (who, error) = await ReadActorAndReasonAsync(request, options.Value, "resume", ct);
        if (error is not null)
        {
            return error;
        }
        try
        {
            var change = runtime.Resume(who.Actor, who.Reason);
            return Results.Json(new RollbackResponse(SettingsView.From(runtime.Live.Current), ChangeView.From(change)), GuardJson.Options);
        }
        catch (InvalidOperationException)
        {
            return ApiErrors.Problem(StatusCodes.Status409Conflict, "conflict",
                "the canary is rolled back: resume does not undo a rollback; re-enable with PUT /guard/config {\"kill_switch\": false, \"canary_pct\": …, \"reason\": …}");
        }
    }

    /// <summary>The <c>{"reason": …, "actor": …}</c> body of rollback and resume (actor defaults to <c>ops</c>).</summary>
    private static async Task<((string Actor, string Reason) Who, IResult? Error)> ReadActorAndReasonAsync(HttpRequest request, GuardServiceOptions o, string verb, CancellationToken ct)
    {
        var (doc, error) = await JsonBody.ReadAsync(request, o.MaxRequestBodyBytes, allowEmpty: false, ct);
        if (error is not null)
        {
            return (default, error);
        }
        using (doc)
        {
            var root = doc!.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (default, ApiErrors.BadRequest($"the body must be a JSON object like {{\"reason\":\"…\",\"actor\":\"…\"}}; got {ConfigUpdate.Describe(root)}"));
            }
            string? reason = null, actor = null;
            foreach (var p in root.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "reason":
                        if (!ConfigUpdate.TryText(p.Value, "reason", o.MaxReasonLength, out reason, out var e1))
                        {
                            return (default, ApiErrors.BadRequest(e1));
                        }
                        break;
                    case "actor":
                        if (!ConfigUpdate.TryText(p.Value, "actor", o.MaxReasonLength, out actor, out var e2))
                        {
                            return (default, ApiErrors.BadRequest(e2));
                        }
                        break;
                    default:
                        return (default, ApiErrors.BadRequest($"unknown field '{p.Name}': expected reason and optionally actor"));
                }
            }
            if (reason is null)
            {
                return (default, ApiErrors.BadRequest($"reason is required: say why you {verb} (it is kept in the settings history)"));
            }
            return ((actor ?? "ops", reason), null);
        }
    }

    private static async Task<IResult> PostEvaluate(HttpRequest request, GuardRuntime runtime, IOptions<GuardServiceOptions> options, CancellationToken ct)
    {
        var (doc, error) = await JsonBody.ReadAsync(request, options.Value.MaxRequestBodyBytes, allowEmpty: true, ct);
        if (error is not null)
        {
            return error;
        }
        using (doc)
        {
            if (doc is not null && (doc.RootElement.ValueKind != JsonValueKind.Object || doc.RootElement.EnumerateObject().Any()))
            {
                return ApiErrors.BadRequest("POST /guard/evaluate takes no parameters: send no body or {}");
            }
        }
        var result = runtime.Evaluate("api");
        return Results.Content(result.ToJsonString(), "application/json; charset=utf-8");
    }

    private static async Task<IResult> PostDiffs(HttpRequest request, GuardRuntime runtime, IOptions<GuardServiceOptions> options, CancellationToken ct)
    {
        var o = options.Value;
        var (doc, error) = await JsonBody.ReadAsync(request, o.MaxRequestBodyBytes, allowEmpty: false, ct);
        if (error is not null)
        {
            return error;
        }
        using (doc)
        {
            var root = doc!.RootElement;
            var items = JsonBody.OneOrMany(root);
            if (items is null || items.Count == 0)
            {
                return ApiErrors.BadRequest("the body must be one comparison object like {\"agent_v1\":\"…\",\"agent_v2\":\"…\",\"changed\":true} or a non-empty array of them");
            }
            if (items.Count > o.MaxSamplesPerRequest)
            {
                return ApiErrors.BadRequest($"the batch has {items.Count} comparisons; at most {o.MaxSamplesPerRequest} are accepted per request (Guard:MaxSamplesPerRequest)");
            }
            var diffs = new List<(string V1, string V2, bool Changed, long Count)>(items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                var where = items.Count == 1 ? "the comparison" : $"comparison {i + 1} of {items.Count}";
                if (!TryReadDiff(items[i], out var diff, out var problem))
                {
                    return ApiErrors.BadRequest($"{where}: {problem}; nothing was counted");
                }
                diffs.Add(diff);
            }
            foreach (var (v1, v2, changed, count) in diffs)
            {
                runtime.RouterMetrics.RecordDiff(v1, v2, changed, count);
            }
            return Results.Json(new DiffReportResponse(diffs.Sum(d => d.Count), diffs.Where(d => d.Changed).Sum(d => d.Count)), GuardJson.Options);
        }
    }

    private const long MaxDiffCount = 1_000_000;

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9_.:-]{1,100}$")]
    private static partial System.Text.RegularExpressions.Regex AgentName();

    private static bool TryReadDiff(JsonElement item, out (string V1, string V2, bool Changed, long Count) diff, out string problem)
    {
        diff = default;
        if (item.ValueKind != JsonValueKind.Object)
        {
            problem = $"expected an object, got {ConfigUpdate.Describe(item)}";
            return false;
        }
        string? v1 = null, v2 = null;
        bool? changed = null;
        long count = 1;
        foreach (var p in item.EnumerateObject())
        {
            switch (p.Name)
            {
                case "agent_v1" or "agent_v2":
                    // Agent names become metric labels: a short identifier keeps the series bounded and the exposition valid.
                    if (p.Value.ValueKind != JsonValueKind.String || p.Value.GetString() is not { } agent || !AgentName().IsMatch(agent))
                    {
                        problem = $"{p.Name}: expected an agent name of 1–100 letters, digits, '_', '-', '.' or ':', got {ConfigUpdate.Describe(p.Value)}";
                        return false;
                    }
                    if (p.Name == "agent_v1")
                    {
                        v1 = agent;
                    }
                    else
                    {
                        v2 = agent;
                    }
                    break;
                case "changed":
                    if (p.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        problem = $"changed: expected true or false, got {ConfigUpdate.Describe(p.Value)}";
                        return false;
                    }
                    changed = p.Value.GetBoolean();
                    break;
                case "count":
                    if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt64(out count) || count < 1 || count > MaxDiffCount)
                    {
                        problem = $"count: expected a whole number from 1 to {MaxDiffCount:N0}, got {ConfigUpdate.Describe(p.Value)}";
                        return false;
                    }
                    break;
                default:
                    problem = $"unknown field '{p.Name}': expected agent_v1, agent_v2, changed and optionally count";
                    return false;
            }
        }
        if (v1 is null || v2 is null || changed is null)
        {
            problem = $"missing {string.Join(", ", new[] { v1 is null ? "agent_v1" : null, v2 is null ? "agent_v2" : null, changed is null ? "changed" : null }.Where(x => x is not null))}";
            return false;
        }
        diff = (v1, v2, changed.Value, count);
        problem = "";
        return true;
    }

    private static async Task<IResult> PostSamples(HttpRequest request, GuardRuntime runtime, IOptions<GuardServiceOptions> options, TimeProvider time, CancellationToken ct)
    {
        var o = options.Value;
        var (doc, error) = await JsonBody.ReadAsync(request, o.MaxRequestBodyBytes, allowEmpty: false, ct);
        if (error is not null)
        {
            return error;
        }
        using (doc)
        {
            var root = doc!.RootElement;
            var items = JsonBody.OneOrMany(root);
            if (items is null)
            {
                return ApiErrors.BadRequest($"the body must be one sample object or an array of them; got {ConfigUpdate.Describe(root)}");
            }
            if (items.Count == 0)
            {
                return ApiErrors.BadRequest("the batch is empty: send at least one sample");
            }
            if (items.Count > o.MaxSamplesPerRequest)
            {
                return ApiErrors.BadRequest($"the batch has {items.Count} samples; at most {o.MaxSamplesPerRequest} are accepted per request (Guard:MaxSamplesPerRequest)");
            }
            var now = SampleJson.FormatAt(time.GetUtcNow());
            var samples = new List<Sample>(items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                string json;
                if (item.ValueKind == JsonValueKind.Object && !item.TryGetProperty("at", out _))
                {
                    var node = JsonNode.Parse(item.GetRawText())!.AsObject();
                    node["at"] = now;
                    json = node.ToJsonString();
                }
                else
                {
                    json = item.GetRawText();
                }
                try
                {
                    samples.Add(SampleJson.Parse(json, "body", i + 1));
                }
                catch (SampleFormatException ex)
                {
                    var where = items.Count == 1 ? "the sample" : $"sample {i + 1} of {items.Count}";
                    return ApiErrors.BadRequest($"{where}: {(ex.Field is null ? "" : ex.Field + ": ")}{ex.Problem}; nothing was stored");
                }
            }
            runtime.Ingest(samples);
            var (v1, v2) = runtime.CurrentWindow();
            return Results.Json(new IngestResponse(samples.Count, samples.Count(s => s.Engine == Engine.V1), samples.Count(s => s.Engine == Engine.V2), new WindowView(runtime.DetectorOptions.Window.ToString(), v1, v2)), GuardJson.Options);
        }
    }

    private static async Task<IResult> PostRoute(HttpRequest request, GuardRuntime runtime, IOptions<GuardServiceOptions> options, CancellationToken ct)
    {
        var o = options.Value;
        var (doc, error) = await JsonBody.ReadAsync(request, o.MaxRequestBodyBytes, allowEmpty: true, ct);
        if (error is not null)
        {
            return error;
        }
        string? session = null, user = null, segment = null;
        using (doc)
        {
            if (doc is not null)
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return ApiErrors.BadRequest($"the body must be a JSON object like {{\"session_id\":\"s-1\",\"user_id\":\"u-1\",\"segment\":\"inbox_triage\"}}; got {ConfigUpdate.Describe(root)}");
                }
                foreach (var p in root.EnumerateObject())
                {
                    if (p.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    {
                        return ApiErrors.BadRequest($"{p.Name} must be a string; got {ConfigUpdate.Describe(p.Value)}");
                    }
                    var value = p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString();
                    if (value is { Length: > 1024 })
                    {
                        return ApiErrors.BadRequest($"{p.Name} is {value.Length} characters long; at most 1024 are accepted");
                    }
                    switch (p.Name)
                    {
                        case "session_id": session = value; break;
                        case "user_id": user = value; break;
                        case "segment": segment = value; break;
                        default:
                            return ApiErrors.BadRequest($"unknown field '{p.Name}': expected session_id, user_id, segment");
                    }
                }
            }
        }
        var decision = runtime.Route(new RouteRequest(session, user, segment));
        return Results.Content(RouteEventJson.ToJson(decision), "application/json; charset=utf-8");
    }
}
