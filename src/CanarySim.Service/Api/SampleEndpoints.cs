using System.Text.Json;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using CanarySim.Service.Auth;
using CanarySim.Service.Guard;
using Microsoft.Extensions.Options;

namespace CanarySim.Service.Api;

/// <summary>
/// <c>POST /guard/samples</c> (app or ops token): one sample or a batch, all or nothing, stored durably
/// before the answer. A sample dated more than <see cref="GuardServiceOptions.MaxSampleClockSkew"/> ahead of
/// the service clock is refused (it would sit at the head of every time-ordered window). A sample older
/// than the window is stored (rollups and history keep it) but counts only where the window takes it:
/// a run-count window takes the last runs by arrival, so a late report still counts as one of the most
/// recent runs; a time window judges samples by their own time, so an old one never enters it. The answer
/// says how many of the accepted samples fall outside the current time window.
/// </summary>
internal static class SampleEndpoints
{
    private const int MaxTagLength = 200;

    public static void Map(RouteGroupBuilder guard)
    {
        guard.MapPost("/samples", PostAsync)
            .WithSummary("Ingest one sample (object) or a batch (array); 'at' defaults to now and may be at most 5 minutes ahead of the service clock. All or nothing. A batch that could change the verdict is evaluated at once.")
            .JsonOneOrMany<SampleBody, IngestResponse>()
            .RequireToken(TokenScope.App);
    }

    private static async Task<IResult> PostAsync(HttpRequest request, GuardRuntime runtime, IOptions<GuardServiceOptions> options, TimeProvider time, CancellationToken ct)
    {
        var o = options.Value;
        var items = await OneOrMany.ReadAsync(request, GuardJsonContext.Default.SampleBody, GuardJsonContext.Default.ListSampleBody,
            o, "sample", "one sample object like {\"engine\":\"v2\",\"latency_ms\":812,\"quality\":93.5,\"cost_cents\":1.9} or a non-empty array of them", ct);
        if (items.Error is not null)
        {
            return items.Error;
        }
        var bodies = items.Value!;
        var now = time.GetUtcNow();
        var samples = new List<Sample>(bodies.Count);
        for (var i = 0; i < bodies.Count; i++)
        {
            if (ToSample(bodies[i], now, o.MaxSampleClockSkew, out var problem) is not { } sample)
            {
                return ApiErrors.BadRequest($"{OneOrMany.Where("sample", i, bodies.Count)}: {problem}; nothing was stored");
            }
            samples.Add(sample);
        }
        var (v1, v2) = runtime.Ingest(samples);
        var d = runtime.DetectorOptions;
        var outside = d.WindowKind == WindowKind.Time ? samples.Count(s => s.At <= now - d.WindowDuration) : 0;
        return Results.Json(new IngestResponse(samples.Count, samples.Count(s => s.Engine == Engine.V1), samples.Count(s => s.Engine == Engine.V2),
            new WindowView(d.Window.ToString(), v1, v2), outside), GuardJson.Options);
    }

    private static Sample? ToSample(SampleBody b, DateTimeOffset now, TimeSpan skew, out string problem)
    {
        Engine engine;
        switch (b.Engine)
        {
            case "v1": engine = Engine.V1; break;
            case "v2": engine = Engine.V2; break;
            default:
                problem = $"engine: expected exactly \"v1\" or \"v2\", got \"{b.Engine}\"";
                return null;
        }
        var at = now;
        if (b.At is { } text)
        {
            if (!SampleJson.TryParseAt(text, out at))
            {
                problem = $"at: expected an ISO 8601 timestamp like 2026-02-19T10:00:00Z, got \"{text}\"";
                return null;
            }
            if (at > now + skew)
            {
                problem = $"at: {SampleJson.FormatAt(at)} is more than {skew.TotalMinutes:0.##} minutes ahead of the service clock ({SampleJson.FormatAt(now)}); " +
                          "a sample from the future would pin the window";
                return null;
            }
        }
        if (((b.Agent is null ? null : BodyRules.Text(b.Agent, "agent", MaxTagLength))
            ?? (b.Scenario is null ? null : BodyRules.Text(b.Scenario, "scenario", MaxTagLength))
            ?? (b.Role is null ? null : BodyRules.Text(b.Role, "role", MaxTagLength))) is { } badTag)
        {
            problem = badTag;
            return null;
        }
        Dictionary<string, double>? metrics = null;
        foreach (var (name, value) in b.Metrics ?? [])
        {
            if (BodyRules.Identifier(name, "metrics (a metric name)", MaxTagLength) is { } badName)
            {
                problem = badName;
                return null;
            }
            double? number = value.ValueKind switch
            {
                JsonValueKind.True => 1,
                JsonValueKind.False => 0,
                JsonValueKind.Number => value.GetDouble(),
                _ => null,
            };
            if (number is null)
            {
                problem = $"metrics.{name}: expected a number or true/false, got {value.GetRawText()}";
                return null;
            }
            (metrics ??= new(StringComparer.Ordinal))[name] = number.Value;
        }
        foreach (var (name, value) in b.Tags ?? [])
        {
            if ((BodyRules.Identifier(name, "tags (a tag name)", MaxTagLength) ?? BodyRules.Text(value, $"tags.{name}", MaxTagLength)) is { } badTagValue)
            {
                problem = badTagValue;
                return null;
            }
        }
        var sample = new Sample
        {
            Engine = engine,
            At = at,
            LatencyMs = b.LatencyMs,
            Quality = b.Quality,
            CostCents = b.CostCents,
            Error = b.Error,
            Fallback = b.Fallback,
            PolicyViolation = b.PolicyViolation,
            Complaint = b.Complaint,
            Tokens = b.Tokens,
            Agent = b.Agent,
            Scenario = b.Scenario,
            Role = b.Role,
            Metrics = metrics,
            Tags = b.Tags,
        };
        problem = SampleRules.Check(sample) ?? "";
        return problem.Length == 0 ? sample : null;
    }
}
