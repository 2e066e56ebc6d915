using System.Text.Json.Serialization.Metadata;
using CanarySim.Core.Gating;
using CanarySim.Service.Auth;
using CanarySim.Service.Rollout;
using Microsoft.Extensions.Options;

namespace CanarySim.Service.Api;

/// <summary>
/// The live plan (<c>canarysim serve --plan</c>): <c>GET /guard/rollout</c> (a token) and <c>POST /guard/rollout/approve</c>,
/// <c>/pause</c>, <c>/resume</c>, <c>/abort</c> (ops token). A request that does not fit the rollout's state (approving a
/// stage that is not waiting, an approver the plan does not name, resuming what is not paused) is 409 with the reason;
/// without a plan every one is 404.
/// </summary>
internal static class RolloutEndpoints
{
    public static void Map(RouteGroupBuilder guard)
    {
        guard.MapGet("/rollout", Get)
            .WithSummary("The live plan: stage, percent, state (running, waiting_approval, paused, rolled_back, completed), entered_at, hold_remaining_s, healthy_evaluations, waiting_for, stages and history. With ?after=N&wait_s=S it answers once the history holds more than N transitions (or after S seconds).")
            .Produces<RolloutView>()
            .Produces<ApiError>(StatusCodes.Status404NotFound)
            .ProducesAuthErrors()
            .RequireToken(TokenScope.App);

        guard.MapPost("/rollout/approve", ApproveAsync)
            .WithSummary("Approve the stage the rollout waits at, as an approver the plan names for it (recorded in the settings history as kind approve). 409 otherwise.")
            .JsonEndpoint<ApproveBody, RolloutView>()
            .RolloutAction();

        guard.MapPost("/rollout/artifacts", PostArtifactsAsync)
            .WithSummary("Post the raw UAT artifacts (canarysim.uat-raw/v1) a stage's release gate judges: the complete set, judged once when the stage is otherwise ready (GO passes the gate, NO-GO rolls back). 400 for an invalid artifact, 409 when the stage has no release gate, was left, or was judged.")
            .JsonEndpoint<ArtifactsBody, RolloutView>()
            .RolloutAction();

        guard.MapGet("/rollout/reports/{name}", GetReport)
            .WithSummary("A release gate report judged live, by name (<label>_release_gate_stage<N>, as GET /guard/rollout's gates name it): the JSON canarysim gate writes.")
            .Produces<ApiError>(StatusCodes.Status404NotFound)
            .ProducesAuthErrors()
            .RequireToken(TokenScope.App);

        Map(guard, "pause", "Pause the rollout (the guard's pause: the percentage holds) until resumed; recorded with actor and reason.", (r, a, why) => r.PauseAsync(a, why));
        Map(guard, "resume", "Resume a paused rollout (whatever paused it, an inconclusive analysis included): one audited call; a new analysis run starts.", (r, a, why) => r.ResumeAsync(a, why));
        Map(guard, "abort", "Abort the rollout: a manual rollback (kill switch on, every request to v1) recorded with actor and reason; the plan stops.", (r, a, why) => r.AbortAsync(a, why));
    }

    private static void Map(RouteGroupBuilder guard, string verb, string summary, Func<LiveRollout, string, string, Task<RolloutView>> act)
    {
        guard.MapPost("/rollout/" + verb, async (HttpRequest request, LiveRolloutHost host, IOptions<GuardServiceOptions> options, CancellationToken ct) =>
            {
                if (host.Rollout is not { } rollout)
                {
                    return NoPlan();
                }
                var (who, error) = await RollbackEndpoints.ReadAsync(request, options.Value, verb, ct);
                return error ?? await Conflicts(() => act(rollout, who.Actor, who.Reason));
            })
            .WithSummary(summary)
            .JsonEndpoint<ActorReasonBody, RolloutView>()
            .RolloutAction();
    }

    /// <summary>What every rollout action answers besides its view (404 without a plan, 409 when it does not fit the rollout's state) and its ops token.</summary>
    private static RouteHandlerBuilder RolloutAction(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<ApiError>(StatusCodes.Status404NotFound)
        .Produces<ApiError>(StatusCodes.Status409Conflict)
        .RequireToken(TokenScope.Ops);

    /// <summary>Longest <c>wait_s</c> a client may ask for.</summary>
    private const int MaxWaitSeconds = 60;

    private static async Task<IResult> Get(LiveRolloutHost host, int? after, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "wait_s")] double? waitS, CancellationToken ct)
    {
        if (host.Rollout is not { } rollout)
        {
            return NoPlan();
        }
        if (after is not null || waitS is not null)
        {
            // Long poll: answer once the history holds more than `after` transitions, or after wait_s seconds.
            if (after is not >= 0 || waitS is not (> 0 and <= MaxWaitSeconds))
            {
                return ApiErrors.BadRequest($"long poll: give after (transitions already seen, >= 0) and wait_s (seconds, 0 < wait_s <= {MaxWaitSeconds}) together");
            }
            await rollout.WhenChangedAsync(after.Value, TimeSpan.FromSeconds(waitS.Value), ct);
        }
        return Results.Json(rollout.View(), GuardJson.Options);
    }

    private static async Task<IResult> ApproveAsync(HttpRequest request, LiveRolloutHost host, IOptions<GuardServiceOptions> options, CancellationToken ct)
    {
        var o = options.Value;
        var read = await ReadRolloutBody(request, host, GuardJsonContext.Default.ApproveBody, o, ct);
        if (read.Error is not null)
        {
            return read.Error;
        }
        var (rollout, b) = (read.Rollout!, read.Body!);
        if (string.IsNullOrWhiteSpace(b.Reason))
        {
            return ApiErrors.BadRequest("reason is required: say why you approve (it is kept in the settings history)");
        }
        if ((BodyRules.Identifier(b.Stage, "stage", o.MaxReasonLength) ?? BodyRules.Identifier(b.Approver, "approver", o.MaxReasonLength)
             ?? BodyRules.Text(b.Reason, "reason", o.MaxReasonLength)) is { } bad)
        {
            return ApiErrors.BadRequest(bad);
        }
        return await Conflicts(() => rollout.ApproveAsync(b.Stage.Trim(), b.Approver.Trim(), b.Reason.Trim()));
    }

    private static async Task<IResult> PostArtifactsAsync(HttpRequest request, LiveRolloutHost host, IOptions<GuardServiceOptions> options, CancellationToken ct)
    {
        var o = options.Value;
        var read = await ReadRolloutBody(request, host, GuardJsonContext.Default.ArtifactsBody, o, ct);
        if (read.Error is not null)
        {
            return read.Error;
        }
        var (rollout, b) = (read.Rollout!, read.Body!);
        if ((BodyRules.Identifier(b.Stage, "stage", o.MaxReasonLength) ?? (b.Actor is null ? null : BodyRules.Identifier(b.Actor, "actor", o.MaxReasonLength))) is { } bad)
        {
            return ApiErrors.BadRequest(bad);
        }
        try
        {
            return await Conflicts(() => rollout.PostArtifactsAsync(b.Stage.Trim(), b.Artifacts, b.Actor?.Trim() ?? "ops"));
        }
        catch (UatArtifactException ex)
        {
            return ApiErrors.BadRequest(ex.Message);
        }
        catch (ArgumentException ex)
        {
            return ApiErrors.BadRequest($"{ex.ParamName}: {ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal)}");
        }
    }

    private static IResult GetReport(LiveRolloutHost host, string name)
    {
        if (host.Rollout is not { } rollout)
        {
            return NoPlan();
        }
        return rollout.Report(name) is { } json
            ? Results.Text(json, "application/json")
            : ApiErrors.Problem(StatusCodes.Status404NotFound, "not_found", $"no release gate report named '{name}' was judged live");
    }

    private static async Task<IResult> Conflicts(Func<Task<RolloutView>> act)
    {
        try
        {
            return Results.Json(await act(), GuardJson.Options);
        }
        catch (RolloutConflictException ex)
        {
            return ApiErrors.Problem(StatusCodes.Status409Conflict, "conflict", ex.Message);
        }
    }

    /// <summary>
    /// The live rollout and the request's JSON body, or the answer to give instead: 404 when no plan runs (before the
    /// body is read), else the body's own error (malformed, too large, unknown or missing members).
    /// </summary>
    private static async Task<(LiveRollout? Rollout, T? Body, IResult? Error)> ReadRolloutBody<T>(HttpRequest request, LiveRolloutHost host,
        JsonTypeInfo<T> type, GuardServiceOptions o, CancellationToken ct)
        where T : class
    {
        if (host.Rollout is not { } rollout)
        {
            return (null, null, NoPlan());
        }
        var body = await JsonBody.ReadAsync(request, type, o.MaxRequestBodyBytes, optional: false, ct);
        return body.Error is not null ? (null, null, body.Error) : (rollout, body.Value, null);
    }

    private static IResult NoPlan() => ApiErrors.Problem(StatusCodes.Status404NotFound, "not_found",
        "no plan runs on this service: start it with canarysim serve --plan P.yaml");
}
