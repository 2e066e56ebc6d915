using System.Text.Json.Nodes;
using CanarySim.Service.Auth;
using CanarySim.Service.Guard;
using Microsoft.Extensions.Options;

namespace CanarySim.Service.Api;

/// <summary><c>POST /guard/evaluate</c>: run the detector now (ops token); 409 on an instance that is not the fleet's evaluator.</summary>
internal static class EvaluateEndpoints
{
    public static void Map(RouteGroupBuilder guard)
    {
        guard.MapPost("/evaluate", EvaluateAsync)
            .WithSummary("Run the regression detector now; a breach may roll back. Returns the verdict plus action_taken, run_phase, trigger and change. Takes no body or {}.")
            .JsonBody<EvaluateRequestBody>(required: false)
            .Produces<JsonObject>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status409Conflict)
            .ProducesAuthErrors()
            .RequireToken(TokenScope.Ops);
    }

    private static async Task<IResult> EvaluateAsync(HttpRequest request, GuardRuntime runtime, IOptions<GuardServiceOptions> options, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync(request, GuardJsonContext.Default.EvaluateRequestBody, options.Value.MaxRequestBodyBytes, optional: true, ct);
        if (body.Error is not null)
        {
            return body.Error;
        }
        try
        {
            var result = await runtime.EvaluateAsync("api", ct);
            return Results.Content(result.ToJsonString(), "application/json; charset=utf-8");
        }
        catch (NotEvaluatorException ex)
        {
            return ApiErrors.Problem(StatusCodes.Status409Conflict, "not_evaluator", ex.Message);
        }
    }
}
