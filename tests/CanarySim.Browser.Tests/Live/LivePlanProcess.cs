using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CanarySim.Browser.Tests.Dashboard;

namespace CanarySim.Browser.Tests.Live;

/// <summary>What the live-plan tests do to a running <c>canarysim serve --plan</c>: write a short plan, post samples, wait for stages.</summary>
internal static class LivePlanProcess
{
    /// <summary>
    /// How long a wait may take before it fails the test. Only a failure guard: the normal case takes seconds. Bounded by
    /// time, not by a number of long polls: each poll answers at the next transition, so a plan with more transitions
    /// than polls (or one slow stage on a loaded machine) would otherwise fail while it is still progressing.
    /// </summary>
    private static readonly TimeSpan WaitBound = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A plan like fixtures/plans/live-short.yaml with the given holds: 5 % until release-manager approves,
    /// 25 %, 50 %; two healthy evaluations a second apart; quality drop &gt; 5 rolls back.
    /// </summary>
    public static string WritePlan(string directory, string hold5 = "1s", string hold25 = "1s", string hold50 = "1s")
    {
        var path = Path.Combine(directory, "live.yaml");
        File.WriteAllText(path, $$"""
            schema: canarysim.plan/v1
            name: live-test
            duration: 2m
            evaluation: { interval: 1s }
            progression: { healthy_evaluations: 2 }
            stages:
              - { name: canary-5, kind: canary, percent: 5, min_hold: {{hold5}}, gates: [detector, { kind: manual_approval, approver: release-manager }] }
              - { name: canary-25, kind: canary, percent: 25, min_hold: {{hold25}}, gates: [detector] }
              - { name: progressive-50, kind: progressive, percent: 50, min_hold: {{hold50}}, gates: [detector] }
            rollback_triggers:
              - { check: quality, threshold: 5.0, action: rollback }
            """);
        return path;
    }

    /// <summary>n healthy v1 and v2 runs (v2 with the given quality).</summary>
    public static string Samples(int n, double v2Quality = 94)
    {
        var items = Enumerable.Range(0, n).SelectMany(i => new object[]
        {
            new { engine = "v1", latency_ms = 800 + i % 20, quality = 95.0, cost_cents = 1.4 },
            new { engine = "v2", latency_ms = 820 + i % 20, quality = v2Quality, cost_cents = 1.5 },
        });
        return JsonSerializer.Serialize(items);
    }

    public static async Task<JsonObject> RolloutAsync(ServeProcess serve, int? after = null, int waitSeconds = 20)
    {
        var query = after is { } n ? $"?after={n}&wait_s={waitSeconds}" : "";
        return JsonNode.Parse(await serve.Http.GetStringAsync("/guard/rollout" + query))!.AsObject();
    }

    /// <summary>Waits (server-side long polls, no client sleeps) until the rollout is at <paramref name="stage"/> or in <paramref name="state"/>; fails after <see cref="WaitBound"/>.</summary>
    public static Task<JsonObject> WaitForAsync(ServeProcess serve, string? stage = null, string? state = null) =>
        WaitUntilAsync(serve, stage ?? state ?? "", view => (stage is null || view["stage"]!.GetValue<string>() == stage) && (state is null || view["state"]!.GetValue<string>() == state));

    /// <summary>Waits until the last stored transition is <paramref name="event"/>.</summary>
    public static Task<JsonObject> WaitForEventAsync(ServeProcess serve, string @event) =>
        WaitUntilAsync(serve, @event, view => view["history"]!.AsArray().LastOrDefault()?["event"]?.GetValue<string>() == @event);

    private static async Task<JsonObject> WaitUntilAsync(ServeProcess serve, string what, Func<JsonObject, bool> reached)
    {
        var waited = Stopwatch.StartNew(); // a bound on the wait, not a clock of the service
        var view = await RolloutAsync(serve);
        while (!reached(view))
        {
            // a rollout whose last stored transition ended it never moves again: say so at once instead of waiting out the bound
            if (waited.Elapsed >= WaitBound || Ended(view))
            {
                Assert.Fail($"the rollout did not reach {what} (waited {waited.Elapsed.TotalSeconds:0} s of at most {WaitBound.TotalSeconds:0} s): {view.ToJsonString()}");
            }
            view = await RolloutAsync(serve, view["history"]!.AsArray().Count, 10);
        }
        return view;
    }

    private static bool Ended(JsonObject view) =>
        view["history"]!.AsArray().LastOrDefault()?["event"]?.GetValue<string>() is "completed" or "rolled_back" or "aborted";
}
