namespace CanarySim.Service.Tests.Rollout;

/// <summary>
/// The read-only dashboard of <c>serve --plan</c>: the status anyone may read says which plan runs, its stage,
/// percentage, state and next stage, and what it waits for, but not who may approve, who paused or why.
/// </summary>
[TestFixture]
public sealed class RolloutStatusSummaryTests : LiveRolloutHostFixture
{
    [Test]
    public async Task The_anonymous_status_shows_the_plans_stage_state_and_next_stage_without_the_approver()
    {
        Start(LivePlans.Short());

        var text = await (await Host.Client.GetAsync("/guard/status")).Content.ReadAsStringAsync();

        var rollout = JsonNode.Parse(text)!["rollout"]!;
        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.Parse(text)!["redacted"]!.GetValue<bool>(), Is.True);
            Assert.That(rollout["plan"]!.GetValue<string>(), Is.EqualTo("live-short"));
            Assert.That(rollout["stage"]!.GetValue<string>(), Is.EqualTo("canary-5"));
            Assert.That(rollout["percent"]!.GetValue<double>(), Is.EqualTo(5));
            Assert.That(rollout["state"]!.GetValue<string>(), Is.EqualTo("waiting_approval"));
            Assert.That(rollout["hold_remaining_s"]!.GetValue<double>(), Is.EqualTo(30));
            Assert.That(rollout["next_stage"]!.GetValue<string>(), Is.EqualTo("canary-25"));
            Assert.That(rollout["next_percent"]!.GetValue<double>(), Is.EqualTo(25));
            Assert.That(rollout["waiting_for"]!.AsArray().Select(w => w!.GetValue<string>()),
                Has.Some.StartsWith("hold: 30 s more").And.Some.StartsWith("a manual approval"));
            Assert.That(rollout["stages"]!.AsArray().Select(s => $"{s!["name"]} {s["status"]} {string.Join("+", s["gates"]!.AsArray())}"),
                Is.EqualTo(new[] { "canary-5 current detector+manual_approval", "canary-25 next detector", "progressive-50 next detector" }));
            Assert.That(text, Does.Not.Contain("release-manager"), "who may approve needs a token");
            Assert.That(rollout.AsObject().ContainsKey("history"), Is.False, "the history names actors and reasons");
        });
    }

    [Test]
    public async Task A_pause_by_a_person_shows_as_paused_and_the_anonymous_status_names_neither_the_person_nor_the_reason()
    {
        Start(LivePlans.Short());
        await Host.PostSamplesAsync(GuardHost.Samples(100));
        var approved = await PostAsync("/guard/rollout/approve", """{"stage": "canary-5", "approver": "release-manager", "reason": "dashboards look fine"}""");
        Assert.That(approved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await approved.Content.ReadAsStringAsync());
        var paused = await PostAsync("/guard/rollout/pause", """{"actor": "dana", "reason": "incident in another team"}""");
        Assert.That(paused.StatusCode, Is.EqualTo(HttpStatusCode.OK), await paused.Content.ReadAsStringAsync());

        var text = await (await Host.Client.GetAsync("/guard/status")).Content.ReadAsStringAsync();

        var status = JsonNode.Parse(text)!;
        Assert.Multiple(() =>
        {
            Assert.That(status["rollout"]!["state"]!.GetValue<string>(), Is.EqualTo("paused"));
            Assert.That(status["timeline"]!.AsArray().Select(c => c!["kind"]!.GetValue<string>()), Does.Contain("pause").And.Contain("approve"),
                "the timeline says a change happened and its kind");
            foreach (var secret in new[] { "release-manager", "dashboards look fine", "dana", "incident in another team" })
            {
                Assert.That(text, Does.Not.Contain(secret), $"the anonymous status reveals {secret}");
            }
        });
    }

    [Test]
    public async Task A_token_holder_gets_the_same_summary_and_a_service_without_a_plan_has_none()
    {
        Start(LivePlans.Short());
        var full = await Host.StatusAsync();
        Assert.That(full["rollout"]!["stage"]!.GetValue<string>(), Is.EqualTo("canary-5"));

        using var plain = new GuardHost(s => s["Guard:BackgroundEvaluation"] = "false");
        var status = await plain.PublicStatusAsync();
        Assert.That(status.ContainsKey("rollout"), Is.True);
        Assert.That(status["rollout"], Is.Null, "no plan runs");
    }
}
