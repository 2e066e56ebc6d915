using System.Globalization;
using CanarySim.Core;
using CanarySim.Core.Rollback;

namespace CanarySim.Features.Steps;

/// <summary>Steps about what the real rollback controller did: router settings, settings history, audit log, re-enabling, and a settings store that fails.</summary>
[Binding]
public sealed class RollbackSteps(ControlPlane plane, ScenarioWorld rehearsal, GuardLog log)
{
    /// <summary>Checks the settings the router reads now: kill switch and canary percentage.</summary>
    [Then(@"^the router settings show kill switch (on|off) at (\d+(?:\.\d+)?)%$")]
    public void SettingsShow(bool killSwitch, double pct)
    {
        var s = plane.Settings;
        Assert.Multiple(() =>
        {
            Assert.That(s.KillSwitch, Is.EqualTo(killSwitch), "kill switch");
            Assert.That(s.CanaryPct, Is.EqualTo(pct), "canary percentage");
        });
    }

    /// <summary>Checks only the canary percentage the router reads now.</summary>
    [Then(@"^the canary percentage is (\d+(?:\.\d+)?)%$")]
    public void CanaryPct(double pct) => Assert.That(plane.Settings.CanaryPct, Is.EqualTo(pct));

    /// <summary>Checks that no rollback of any kind was recorded and the kill switch is off.</summary>
    [Then(@"^no rollback happened$")]
    public void NoRollback()
    {
        Assert.That(rehearsal.SettingsStore.History().Where(c => c.Kind == SettingsChangeKind.Rollback).Select(c => c.Reason), Is.Empty);
        Assert.That(plane.Settings.KillSwitch, Is.False);
    }

    /// <summary>Checks how many automatic rollbacks (actor <c>auto</c>) the history holds.</summary>
    [Then(@"^the settings history holds (\d+) automatic rollbacks?$")]
    public void AutomaticRollbacks(int count) =>
        Assert.That(rehearsal.SettingsStore.History().Count(c => c.Kind == SettingsChangeKind.Rollback && c.Actor == RollbackController.AutoActor), Is.EqualTo(count));

    /// <summary>Checks that once v2 was rolled back, no later settings change turned v2 back on (kill switch off with traffic on v2); names the change that did.</summary>
    [Then(@"^v2 was not re-enabled after the rollback$")]
    public void NotReenabled()
    {
        var history = rehearsal.SettingsStore.History().ToList();
        var rollback = history.FindIndex(c => c.Kind == SettingsChangeKind.Rollback);
        Assert.That(rollback, Is.GreaterThanOrEqualTo(0), "there was no rollback to begin with");
        var reenabled = history.Skip(rollback + 1).Where(c => !c.After.KillSwitch && c.After.CanaryPct > 0)
            .Select(c => $"{c.Actor} at {c.At:yyyy-MM-dd HH:mm}: {WireName.Of(c.Kind)}, kill switch off, {c.After.CanaryPct.ToString(CultureInfo.InvariantCulture)} % ({c.Reason})").ToList();
        Assert.That(reenabled, Is.Empty, "v2 was turned back on after the rollback by");
    }

    /// <summary>Checks whether a manual review was requested (and so promotion is blocked).</summary>
    [Then(@"^a manual review is (requested|not requested)$")]
    public void ManualReview(string requested)
    {
        Assert.That(plane.Controller.NeedsManualReview, Is.EqualTo(requested == "requested"));
        if (requested == "requested")
        {
            Assert.That(plane.Controller.CanPromote, Is.False, "a rollout under manual review must not be promoted");
        }
    }

    /// <summary>
    /// Checks the last settings change field by field. Fields: <c>actor</c>, <c>kind</c>,
    /// <c>canary_pct_before</c>, <c>kill_switch_before</c>, <c>canary_pct_after</c>,
    /// <c>kill_switch_after</c>, <c>at</c> (ISO time), <c>breaches</c> (count), <c>reason contains</c>.
    /// </summary>
    [Then(@"^the last settings change is:$")]
    public void LastChange(Table table)
    {
        var change = rehearsal.SettingsStore.History().LastOrDefault();
        Assert.That(change, Is.Not.Null, "the settings history is empty");
        Assert.Multiple(() =>
        {
            foreach (var row in table.Rows)
            {
                var field = row.Get<string>("field");
                var expected = row.Get<string>("value");
                Assert.That(Field(change!, field), field == "reason contains" ? Does.Contain(expected) : Is.EqualTo(expected), field);
            }
        });
    }

    /// <summary>Checks the whole settings history, oldest first: columns <c>actor</c>, <c>kind</c>, <c>canary_pct</c> and <c>kill_switch</c> (both after the change).</summary>
    [Then(@"^the settings history is:$")]
    public void History(Table table)
    {
        var history = rehearsal.SettingsStore.History();
        var actual = history.Select(c => $"{c.Actor} | {WireName.Of(c.Kind)} | {Pct(c.After.CanaryPct)} | {OnOff(c.After.KillSwitch)}").ToList();
        var expected = table.Rows.Select(r => $"{r.Get<string>("actor")} | {r.Get<string>("kind")} | {Pct(r.Get<double>("canary_pct"))} | {OnOff(r.Get<bool>("kill_switch"))}").ToList();
        Assert.That(actual, Is.EqualTo(expected));
    }

    /// <summary>Checks how many changes the settings history holds.</summary>
    [Then(@"^the settings history holds (\d+) changes?$")]
    public void HistoryCount(int count) => Assert.That(rehearsal.SettingsStore.History(), Has.Count.EqualTo(count));

    /// <summary>Checks that what the settings store persisted is exactly what the router reads.</summary>
    [Then(@"^the stored settings match what the router reads$")]
    public void StoredMatchesLive() => Assert.That(rehearsal.SettingsStore.Current.Settings, Is.EqualTo(plane.Settings));

    /// <summary>Checks how many audit events of one type (<c>rollback</c>, <c>config</c>, <c>evaluation</c>, <c>alert</c>, <c>engine_route</c>) were written.</summary>
    [Then(@"^the audit log holds (\d+) ""([a-z_]+)"" events?$")]
    public void AuditCount(int count, string type) => Assert.That(rehearsal.Audit.Read(type), Has.Count.EqualTo(count));

    /// <summary>Checks that the last audit event of a type mentions a text (e.g. a breach reason).</summary>
    [Then(@"^the last ""([a-z_]+)"" audit event mentions ""(.*)""$")]
    public void AuditMentions(string type, string text)
    {
        var last = rehearsal.Audit.Read(type).LastOrDefault();
        Assert.That(last, Is.Not.Null, $"no \"{type}\" audit event");
        Assert.That(last!.Data, Does.Contain(text));
    }

    /// <summary>A person re-enables the canary after a rollback (manual, audited; the detector's history restarts).</summary>
    [When(@"^""([^""]+)"" re-enables the canary at (\d+(?:\.\d+)?)% because ""(.+)""$")]
    public void ReEnable(string actor, double pct, string reason) => plane.Guard.ReEnable(actor, reason, pct);

    /// <summary>A person resumes after a pause, a staged rollback or a manual-review flag: one audited call; a new analysis run starts.</summary>
    [When(@"^""([^""]+)"" resumes the rollout because ""(.+)""$")]
    public void Resume(string actor, string reason) => plane.Guard.Resume(actor, reason);

    /// <summary>A person rolls back by hand (kill switch on, 0 %), with a reason.</summary>
    [When(@"^""([^""]+)"" rolls back by hand because ""(.+)""$")]
    public void ManualRollback(string actor, string reason) => plane.Guard.ManualRollback(actor, reason);

    /// <summary>Makes the next write(s) to the settings store fail (the storage going away).</summary>
    [Given(@"^the settings store fails on the next (?:(?<count>\d+) |(?<count>))writes?$")]
    public void StoreFails(string? count) =>
        rehearsal.SettingsStore.FailNextWrites(string.IsNullOrWhiteSpace(count) ? 1 : int.Parse(count, CultureInfo.InvariantCulture));

    /// <summary>Checks that the last evaluation failed with an error mentioning a text.</summary>
    [Then(@"^the evaluation failed with an error mentioning ""(.+)""$")]
    public void EvaluationFailed(string text)
    {
        Assert.That(log.LastError, Is.Not.Null, "the evaluation did not fail");
        Assert.That(log.LastError!.Message, Does.Contain(text));
    }

    private static string Field(SettingsChange c, string field) => field switch
    {
        "actor" => c.Actor,
        "kind" => WireName.Of(c.Kind),
        "canary_pct_before" => Pct(c.Before.CanaryPct),
        "kill_switch_before" => OnOff(c.Before.KillSwitch),
        "canary_pct_after" => Pct(c.After.CanaryPct),
        "kill_switch_after" => OnOff(c.After.KillSwitch),
        "at" => c.At.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        "breaches" => c.Breaches.Count.ToString(CultureInfo.InvariantCulture),
        "reason contains" => c.Reason,
        _ => throw new FormatException($"unknown field \"{field}\"; expected actor, kind, canary_pct_before, kill_switch_before, canary_pct_after, kill_switch_after, at, breaches or reason contains"),
    };

    private static string Pct(double p) => p.ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string OnOff(bool b) => b ? "on" : "off";
}
