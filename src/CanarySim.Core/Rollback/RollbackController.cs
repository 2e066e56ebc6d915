using CanarySim.Core.Audit;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;

namespace CanarySim.Core.Rollback;

/// <summary>
/// Auto-rollback. Acts on verdicts by changing the live router settings (swapped first, so
/// the router serves v1 at once), then persisting the change with its history entry and auditing it:
/// <list type="bullet">
/// <item><c>rollback</c>: kill switch on, canary 0 %, actor <c>auto</c>, every breach, timestamp,
/// settings before and after. Latched: later verdicts, healthy or not, never re-trigger it; only
/// <see cref="ReEnable"/> (manual, audited) leaves it. With <see cref="DetectorOptions.StagedRollback"/>
/// each consecutive rollback verdict halves the percentage and the last step goes to 0 % (50 → 25 → 0);
/// a policy violation always rolls back fully.</item>
/// <item><c>reduce_traffic</c>: multiplies the percentage by <see cref="DetectorOptions.ReduceTrafficFactor"/>
/// (halves) once per episode (until a verdict without it).</item>
/// <item><c>pause</c>: freezes the percentage (<see cref="CanPromote"/> is false) until <see cref="Resume"/>.</item>
/// <item><c>manual_review</c>: raises <see cref="NeedsManualReview"/> until <see cref="Resume"/>.</item>
/// </list>
/// Audit event types: <c>rollback</c> (automatic, staged and manual rollbacks), <c>config</c>
/// (reduce_traffic, pause, resume, re_enable, config) and <c>alert</c> (manual_review). Thread-safe.
/// </summary>
public sealed class RollbackController
{
    /// <summary>The actor recorded for automatic changes.</summary>
    public const string AutoActor = "auto";

    private readonly Lock _gate = new();
    private readonly LiveSettings _live;
    private readonly ISettingsStore _store;
    private readonly IAuditSink _audit;
    private readonly TimeProvider _time;
    private readonly DetectorOptions _options;
    private int _stagedStep;
    private bool _reducedThisEpisode;

    /// <summary>Creates a controller over the live settings, the settings store and the audit sink.</summary>
    public RollbackController(LiveSettings live, ISettingsStore store, IAuditSink audit, TimeProvider? time = null, DetectorOptions? options = null)
    {
        _live = live ?? throw new ArgumentNullException(nameof(live));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = time ?? TimeProvider.System;
        _options = (options ?? new DetectorOptions()).EnsureValid();
        State = live.Current.KillSwitch ? RollbackState.RolledBack : RollbackState.Active;
    }

    /// <summary>Raised after every recorded change.</summary>
    public event Action<SettingsChange>? Changed;

    /// <summary>Current state.</summary>
    public RollbackState State { get; private set; }

    /// <summary>A manual_review verdict is waiting for a human.</summary>
    public bool NeedsManualReview { get; private set; }

    /// <summary>True when the rollout may move to the next stage: active and no manual review pending.</summary>
    public bool CanPromote => State == RollbackState.Active && !NeedsManualReview;

    /// <summary>The live settings this controller writes.</summary>
    public RouterSettings Current => _live.Current;

    /// <summary>Acts on a verdict's action and breaches; returns the recorded change, or null when nothing changed.</summary>
    public SettingsChange? Apply(Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return Apply(verdict.Action, verdict.Breaches, verdict);
    }

    /// <summary>Acts on <paramref name="action"/> caused by <paramref name="breaches"/>; returns the recorded change, or null when nothing changed.</summary>
    public SettingsChange? Apply(VerdictAction action, IReadOnlyList<Breach> breaches, Verdict? verdict = null)
    {
        ArgumentNullException.ThrowIfNull(breaches);
        lock (_gate)
        {
            if (action != VerdictAction.Rollback)
            {
                _stagedStep = 0; // staged rollback counts consecutive rollback verdicts
            }
            if (action < VerdictAction.ReduceTraffic)
            {
                _reducedThisEpisode = false;
            }
            if (State == RollbackState.RolledBack)
            {
                return null; // nothing after a rollback re-triggers it; re-enabling is manual
            }
            var reason = breaches.Count == 0 ? action.ToString() : string.Join("; ", breaches.Select(b => b.Reason));
            switch (action)
            {
                case VerdictAction.Rollback:
                    var full = !_options.StagedRollback || breaches.Any(b => b.Check == CheckNames.PolicyViolation);
                    if (!full && ++_stagedStep < _options.StagedRollbackSteps)
                    {
                        State = RollbackState.RollingBack;
                        return Record(AutoActor, "staged_rollback", "rollback", reason, s => s with { CanaryPct = s.CanaryPct / 2 }, breaches, verdict);
                    }
                    State = RollbackState.RolledBack;
                    return Record(AutoActor, "rollback", "rollback", reason, s => s with { KillSwitch = true, CanaryPct = 0 }, breaches, verdict);
                case VerdictAction.ReduceTraffic:
                    if (_reducedThisEpisode)
                    {
                        return null;
                    }
                    _reducedThisEpisode = true;
                    var factor = _options.ReduceTrafficFactor;
                    return Record(AutoActor, "reduce_traffic", "config", reason, s => s with { CanaryPct = s.CanaryPct * factor }, breaches, verdict);
                case VerdictAction.Pause:
                    if (State == RollbackState.Paused)
                    {
                        return null;
                    }
                    State = RollbackState.Paused;
                    return Record(AutoActor, "pause", "config", reason, s => s, breaches, verdict);
                case VerdictAction.ManualReview:
                    if (NeedsManualReview)
                    {
                        return null;
                    }
                    NeedsManualReview = true;
                    return Record(AutoActor, "manual_review", "alert", reason, s => s, breaches, verdict);
                default:
                    return null;
            }
        }
    }

    /// <summary>A human rolls back: kill switch on, canary 0 %, audited with the actor and reason.</summary>
    public SettingsChange ManualRollback(string actor, string reason)
    {
        RequireWho(actor, reason);
        lock (_gate)
        {
            State = RollbackState.RolledBack;
            return Record(actor, "rollback", "rollback", reason, s => s with { KillSwitch = true, CanaryPct = 0 }, [], null);
        }
    }

    /// <summary>The only way out of a rollback: a human turns the kill switch off and sets the percentage (0–100). Audited.</summary>
    public SettingsChange ReEnable(string actor, string reason, double canaryPct)
    {
        RequireActor(actor, reason);
        RequirePct(canaryPct, nameof(canaryPct));
        lock (_gate)
        {
            State = RollbackState.Active;
            NeedsManualReview = false;
            _stagedStep = 0;
            _reducedThisEpisode = false;
            return Record(actor, "re_enable", "config", reason, s => s with { KillSwitch = false, CanaryPct = canaryPct }, [], null);
        }
    }

    /// <summary>A human clears a pause, a staged rollback in progress or a manual-review flag (not a full rollback: use <see cref="ReEnable"/>). Audited.</summary>
    public SettingsChange Resume(string actor, string reason)
    {
        RequireWho(actor, reason);
        lock (_gate)
        {
            if (State == RollbackState.RolledBack)
            {
                throw new InvalidOperationException("The canary is rolled back; use ReEnable to turn the kill switch off.");
            }
            State = RollbackState.Active;
            NeedsManualReview = false;
            return Record(actor, "resume", "config", reason, s => s, [], null);
        }
    }

    /// <summary>
    /// A settings change from the API or CLI, with history and audit. The percentages it sets, global
    /// and per segment, must be finite and in 0–100 (out-of-range input is rejected, not clamped). Turning the
    /// kill switch on this way counts as a rollback; turning it off as a re-enable.
    /// </summary>
    public SettingsChange UpdateConfig(string actor, string reason, Func<RouterSettings, RouterSettings> update)
    {
        RequireActor(actor, reason);
        ArgumentNullException.ThrowIfNull(update);
        lock (_gate)
        {
            var proposed = update(_live.Current) ?? throw new InvalidOperationException("The update returned no settings.");
            var change = Record(actor, "config", "config", reason, _ => proposed, [], null);
            if (change.After.KillSwitch && !change.Before.KillSwitch)
            {
                State = RollbackState.RolledBack;
            }
            else if (!change.After.KillSwitch && change.Before.KillSwitch)
            {
                State = RollbackState.Active;
                NeedsManualReview = false;
            }
            return change;
        }
    }

    /// <summary>The settings history from the store, oldest first.</summary>
    public IReadOnlyList<SettingsChange> History(int? limit = null) => _store.History(limit);

    private SettingsChange Record(string actor, string kind, string auditType, string reason, Func<RouterSettings, RouterSettings> update,
        IReadOnlyList<Breach> breaches, Verdict? verdict)
    {
        // Every change passes here, so this is where percentages are validated; live first: from here
        // the router serves the new settings; persistence and audit follow.
        var (before, after) = _live.Update(s => RequireValidChange(s, update(s)));
        var now = _time.GetUtcNow();
        var stored = _store.Append(new SettingsChange(0, now, actor, kind, reason, before, after, breaches.Select(b => b.Reason).ToList()));
        _audit.Append(new AuditEvent(now, auditType, SettingsJsonWriter.Change(stored, breaches, verdict)));
        Changed?.Invoke(stored);
        return stored;
    }

    // A settings change or a re-enable may come without a reason (runbooks send bare percentages): it is
    // recorded as empty. A rollback and a resume must say why.
    private static void RequireActor(string actor, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentNullException.ThrowIfNull(reason);
    }

    private static void RequireWho(string actor, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
    }

    // A change may not bring in a percentage outside 0-100 or NaN, globally or for a segment. Values it
    // leaves as they were are not re-judged, so a rollback never fails on what an older store holds.
    private static RouterSettings RequireValidChange(RouterSettings before, RouterSettings after)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (!after.CanaryPct.Equals(before.CanaryPct))
        {
            RequirePct(after.CanaryPct, "canary_pct");
        }
        foreach (var (segment, o) in after.Segments)
        {
            if (o.CanaryPct is { } pct && !(before.Segments.TryGetValue(segment, out var was) && pct.Equals(was.CanaryPct)))
            {
                RequirePct(pct, $"segments.{segment}.canary_pct");
            }
        }
        return after;
    }

    private static void RequirePct(double pct, string name)
    {
        if (!double.IsFinite(pct) || pct < 0 || pct > 100)
        {
            throw new ArgumentOutOfRangeException(name, pct, $"{name} must be a number between 0 and 100, got {pct}.");
        }
    }
}
