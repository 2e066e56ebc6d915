using CanarySim.Service.Auth;
using CanarySim.Service.Guard;
using Microsoft.Extensions.Options;

namespace CanarySim.Service.Api;

/// <summary><c>POST /guard/diffs</c>: shadow comparisons reported by an application (app or ops token).</summary>
internal static partial class DiffEndpoints
{
    private const long MaxDiffCount = 1_000_000;

    public static void Map(RouteGroupBuilder guard)
    {
        guard.MapPost("/diffs", PostAsync)
            .WithSummary("Report shadow decision comparisons made by an application with its own engines (one object or an array; agent_v1, agent_v2, changed, optional count), counted in planner_decision_diff_total. All or nothing.")
            .JsonOneOrMany<DiffReportBody, DiffReportResponse>()
            .RequireToken(TokenScope.App);
    }

    private static async Task<IResult> PostAsync(HttpRequest request, GuardRuntime runtime, IOptions<GuardServiceOptions> options, CancellationToken ct)
    {
        var o = options.Value;
        var items = await OneOrMany.ReadAsync(request, GuardJsonContext.Default.DiffReportBody, GuardJsonContext.Default.ListDiffReportBody,
            o, "comparison", "one comparison object like {\"agent_v1\":\"…\",\"agent_v2\":\"…\",\"changed\":true} or a non-empty array of them", ct);
        if (items.Error is not null)
        {
            return items.Error;
        }
        var diffs = items.Value!;
        for (var i = 0; i < diffs.Count; i++)
        {
            if (Problem(diffs[i]) is { } problem)
            {
                return ApiErrors.BadRequest($"{OneOrMany.Where("comparison", i, diffs.Count)}: {problem}; nothing was counted");
            }
        }
        foreach (var d in diffs)
        {
            runtime.RouterMetrics.RecordDiff(d.AgentV1, d.AgentV2, d.Changed, d.Count ?? 1);
        }
        return Results.Json(new DiffReportResponse(diffs.Sum(d => d.Count ?? 1), diffs.Where(d => d.Changed).Sum(d => d.Count ?? 1)), GuardJson.Options);
    }

    private static string? Problem(DiffReportBody d)
    {
        // Agent names become metric labels: a short identifier keeps the series bounded and the exposition valid.
        if (d.AgentV1 is null || !AgentName().IsMatch(d.AgentV1))
        {
            return $"agent_v1: expected an agent name of 1–100 letters, digits, '_', '-', '.' or ':', got \"{d.AgentV1}\"";
        }
        if (d.AgentV2 is null || !AgentName().IsMatch(d.AgentV2))
        {
            return $"agent_v2: expected an agent name of 1–100 letters, digits, '_', '-', '.' or ':', got \"{d.AgentV2}\"";
        }
        return d.Count is < 1 or > MaxDiffCount ? $"count: expected a whole number from 1 to {MaxDiffCount:N0}, got {d.Count}" : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9_.:-]{1,100}\\z")]
    private static partial System.Text.RegularExpressions.Regex AgentName();
}
