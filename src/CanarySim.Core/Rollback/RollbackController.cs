using CanarySim.Core.Audit;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;

namespace CanarySim.Core.Rollback;

/// <summary>
/// Auto-rollback. Acts on verdicts by changing the router settings through the settings store's
/// compare-and-set: every change (automatic, manual, re-enable, resume, config) is decided on the
/// latest stored settings, validated by <see cref="RouterSettingsRules"/>, stored as the next version
/// with its history entry, then swapped into the live snapshot and audited. The live snapshot is only
/// ever a stored version, with one exception that fails safe: when the store cannot record a change
/// that turns the kill switch on, the router still serves v1 and the error is raised.
/// <list type="bullet">
/// <item><c>rollback</c>: kill switch on, canary 0 %, actor <c>auto</c>, every breach, timestamp,
/// settings before and after. Latched: later verdicts, healthy or not, never re-trigger it; only
/// <see cref="ReEnable"/> (manual, audited) leaves it (as does a config change turning the kill switch off, recorded as <c>re_enable</c>). With <see cref="DetectorOptions.StagedRollback"/>
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

    /// <summary>How many of the latest stored changes are read back at start to restore a pause or a pending manual review.</summary>
    private const int RestoreDepth = 1000;

    private readonly Lock _lock = new();
    private readonly LiveSettings _live;
    private readonly ISettingsStore _store;
    private readonly IAuditSink _audit;
    private readonly TimeProvider _time;
    private readonly DetectorOptions _options;
    private long _version;
    private SettingsChange? _pausedBy;
    private int _stagedStep;
    private bool _reducedThisEpisode;

    /// <summary>
    /// Creates a controller over the live settings, the settings store and the audit sink. When the store
    /// holds settings, the live snapshot becomes a copy of them; before anything is stored, the live
    /// snapshot is the base the first change is made from.
    /// </summary>
    /// <param name="instance">The name of this router instance, recorded with every change it makes.</param>
    public RollbackController(LiveSettings live, ISettingsStore store, IAuditSink audit, TimeProvider? time = null, DetectorOptions? options = null, string? instance = null)
    {
        _live = live ?? throw new ArgumentNullException(nameof(live));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = time ?? TimeProvider.System;
        _options = (options ?? new DetectorOptions()).EnsureValid();
        Instance = instance ?? "";
        var stored = _store.Current;
        if (stored.Version > 0)
        {
            _live.Set(stored.Settings);
            _version = stored.Version;
        }
        State = live.Current.KillSwitch ? RollbackState.RolledBack : RollbackState.Active;
        if (State == RollbackState.Active)
        {
            RestoreHold();
        }
    }

    /// <summary>Raised after every change this controller recorded.</summary>
    public event Action<SettingsChange>? Changed;

    /// <summary>Raised after the live snapshot took a newer stored version written by someone else (see <see cref="Refresh"/>).</summary>
    public event Action<VersionedSettings>? Refreshed;

    /// <summary>Current state.</summary>
    public RollbackState State { get; private set; }

    /// <summary>A manual_review verdict is waiting for a human.</summary>
    public bool NeedsManualReview { get; private set; }

    /// <summary>While <see cref="State"/> is <see cref="RollbackState.Paused"/>: the pause change (its reason says why, see <see cref="PauseReasons.Headline"/>); otherwise null.</summary>
    public SettingsChange? PausedBy
    {
        get { lock (_lock) { return State == RollbackState.Paused ? _pausedBy : null; } }
    }

    /// <summary>True when the rollout may move to the next stage: active and no manual review pending.</summary>
    public bool CanPromote => State == RollbackState.Active && !NeedsManualReview;

    /// <summary>The live settings this controller writes.</summary>
    public RouterSettings Current => _live.Current;

    /// <summary>The stored version the live snapshot is a copy of (0 before anything was stored).</summary>
    public long Version
    {
        get { lock (_lock) { return _version; } }
    }

    /// <summary>The instance name recorded with this controller's changes (empty when unnamed).</summary>
    public string Instance { get; }

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
        lock (_lock)
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
            var reason = breaches.Count == 0 ? WireName.Of(action) : string.Join("; ", breaches.Select(b => b.Reason));
            SettingsChange? change;
            switch (action)
            {
                case VerdictAction.Rollback:
                    var full = !_options.StagedRollback || breaches.Any(b => b.Check == CheckNames.PolicyViolation);
                    if (!full && ++_stagedStep < _options.StagedRollbackSteps)
                    {
                        change = Commit(AutoActor, SettingsChangeKind.StagedRollback, "rollback", reason, s => s.KillSwitch ? null : s with { CanaryPct = s.CanaryPct / 2 }, breaches, verdict);
                        if (change is not null)
                        {
                            State = RollbackState.RollingBack;
                        }
                        return change;
                    }
                    return Commit(AutoActor, SettingsChangeKind.Rollback, "rollback", reason, s => s.KillSwitch ? null : s with { KillSwitch = true, CanaryPct = 0 }, breaches, verdict, failSafe: true);
                case VerdictAction.ReduceTraffic:
                    if (_reducedThisEpisode)
                    {
                        return null;
                    }
                    var factor = _options.ReduceTrafficFactor;
                    change = Commit(AutoActor, SettingsChangeKind.ReduceTraffic, "config", reason, s => s.KillSwitch ? null : s with { CanaryPct = s.CanaryPct * factor }, breaches, verdict);
                    _reducedThisEpisode = change is not null;
                    return change;
                case VerdictAction.Pause:
                    if (State == RollbackState.Paused)
                    {
                        return null;
                    }
                    change = Commit(AutoActor, SettingsChangeKind.Pause, "config", reason, s => s.KillSwitch ? null : s, breaches, verdict);
                    if (change is not null)
                    {
                        State = RollbackState.Paused;
                        _pausedBy = change;
                    }
                    return change;
                case VerdictAction.ManualReview:
                    if (NeedsManualReview)
                    {
                        return null;
                    }
                    change = Commit(AutoActor, SettingsChangeKind.ManualReview, "alert", reason, s => s.KillSwitch ? null : s, breaches, verdict);
                    NeedsManualReview = change is not null;
                    return change;
                default:
                    return null;
            }
        }
    }

    /// <summary>A human rolls back: kill switch on, canary 0 %, audited with the actor and reason.</summary>
    public SettingsChange ManualRollback(string actor, string reason)
    {
        RequireWho(actor, reason);
        lock (_lock)
        {
            return Commit(actor, SettingsChangeKind.Rollback, "rollback", reason, s => s with { KillSwitch = true, CanaryPct = 0 }, [], null, failSafe: true)!;
        }
    }

    /// <summary>The only way out of a rollback: a human turns the kill switch off and sets the percentage (0–100). Audited.</summary>
    /// <exception cref="SettingsConflictException"><paramref name="expectedVersion"/> is given and is not the stored version.</exception>
    public SettingsChange ReEnable(string actor, string reason, double canaryPct, long? expectedVersion = null)
    {
        RequireActor(actor, reason);
        RouterSettingsRules.RequirePct(canaryPct, nameof(canaryPct));
        lock (_lock)
        {
            var change = Commit(actor, SettingsChangeKind.ReEnable, "config", reason, s => s with { KillSwitch = false, CanaryPct = canaryPct }, [], null, expectedVersion: expectedVersion)!;
            ClearEpisode();
            return change;
        }
    }

    /// <summary>A human clears a pause, a staged rollback in progress or a manual-review flag (not a full rollback: use <see cref="ReEnable"/>). Audited.</summary>
    /// <exception cref="InvalidOperationException">The stored settings have the kill switch on.</exception>
    public SettingsChange Resume(string actor, string reason)
    {
        RequireWho(actor, reason);
        lock (_lock)
        {
            var change = Commit(actor, SettingsChangeKind.Resume, "config", reason, s => s.KillSwitch
                ? throw new InvalidOperationException("The canary is rolled back; use ReEnable to turn the kill switch off.")
                : s, [], null)!;
            State = RollbackState.Active;
            NeedsManualReview = false;
            return change;
        }
    }

    /// <summary>A human (or a live rollout's operator) pauses: the percentage freezes (<see cref="CanPromote"/> is false) until <see cref="Resume"/>. Audited; null when already paused.</summary>
    /// <exception cref="InvalidOperationException">The stored settings have the kill switch on.</exception>
    public SettingsChange? Pause(string actor, string reason)
    {
        RequireWho(actor, reason);
        lock (_lock)
        {
            if (State == RollbackState.Paused)
            {
                return null;
            }
            var change = Commit(actor, SettingsChangeKind.Pause, "config", reason, s => s.KillSwitch
                ? throw new InvalidOperationException("The canary is rolled back; there is nothing to pause.")
                : s, [], null)!;
            State = RollbackState.Paused;
            _pausedBy = change;
            return change;
        }
    }

    /// <summary>
    /// Records a decision that changes no setting (e.g. a live rollout's approval, kind <c>approve</c>) in the
    /// settings history and the audit log, so every transition of a rollout is found in one place.
    /// </summary>
    public SettingsChange Note(string actor, SettingsChangeKind kind, string reason)
    {
        RequireWho(actor, reason);
        lock (_lock)
        {
            return Commit(actor, kind, "config", reason, s => s, [], null)!;
        }
    }

    /// <summary>
    /// A settings change from the API, CLI or a rollout, with history and audit, always recorded.
    /// <paramref name="update"/> is applied to the latest stored settings (inside the store's
    /// compare-and-set, so it must be a pure function) and the result must pass
    /// <see cref="RouterSettingsRules"/>. Turning the kill switch on this way counts as a rollback;
    /// turning it off is recorded as a <c>re_enable</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The resulting settings break a rule; nothing was stored.</exception>
    /// <exception cref="SettingsConflictException"><paramref name="expectedVersion"/> is given and is not the stored version.</exception>
    public SettingsChange UpdateConfig(string actor, string reason, Func<RouterSettings, RouterSettings> update, long? expectedVersion = null) =>
        Configure(actor, reason, update, expectedVersion, recordUnchanged: true)!;

    /// <summary>As <see cref="UpdateConfig"/>, but records nothing (and returns null) when the update leaves the latest stored settings as they are.</summary>
    public SettingsChange? UpdateConfigIfChanged(string actor, string reason, Func<RouterSettings, RouterSettings> update, long? expectedVersion = null) =>
        Configure(actor, reason, update, expectedVersion, recordUnchanged: false);

    /// <summary>
    /// Takes a stored version written by someone else (another instance) into the live snapshot when it
    /// is newer than the one served: the kill switch on means rolled back, off after a rollback means active.
    /// </summary>
    /// <returns>True when the live snapshot changed.</returns>
    public bool Refresh(VersionedSettings stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        bool adopted;
        lock (_lock)
        {
            adopted = Adopt(stored);
        }
        if (adopted)
        {
            Refreshed?.Invoke(stored);
        }
        return adopted;
    }

    /// <summary>Reads the latest stored settings and takes them when newer (see <see cref="Refresh"/>).</summary>
    public bool Refresh() => Refresh(_store.Current);

    /// <summary>The settings history from the store, oldest first.</summary>
    public IReadOnlyList<SettingsChange> History(int? limit = null) => _store.History(limit);

    private SettingsChange? Configure(string actor, string reason, Func<RouterSettings, RouterSettings> update, long? expectedVersion, bool recordUnchanged)
    {
        RequireActor(actor, reason);
        ArgumentNullException.ThrowIfNull(update);
        lock (_lock)
        {
            var change = Commit(actor, SettingsChangeKind.Config, "config", reason, s =>
            {
                var after = update(s) ?? throw new InvalidOperationException("The update returned no settings.");
                return recordUnchanged || !after.Equals(s) ? after : null;
            }, [], null, failSafe: false, expectedVersion,
                kindOf: (before, after) => before.KillSwitch && !after.KillSwitch ? SettingsChangeKind.ReEnable : SettingsChangeKind.Config);
            if (change is { Kind: SettingsChangeKind.ReEnable })
            {
                ClearEpisode();
            }
            return change;
        }
    }

    /// <summary>
    /// The one path of every change: decided on the latest stored settings inside the store's
    /// compare-and-set, validated, stored, then made live and audited. Called under <see cref="_lock"/>.
    /// </summary>
    private SettingsChange? Commit(string actor, SettingsChangeKind kind, string auditType, string reason, Func<RouterSettings, RouterSettings?> update,
        IReadOnlyList<Breach> breaches, Verdict? verdict, bool failSafe = false, long? expectedVersion = null,
        Func<RouterSettings, RouterSettings, SettingsChangeKind>? kindOf = null)
    {
        var now = _time.GetUtcNow();
        var reasons = breaches.Select(b => b.Reason).ToList();
        var seed = _live.Current;
        VersionedSettings? latest = null;
        SettingsChange? stored;
        try
        {
            stored = _store.Commit(stored =>
            {
                latest = stored;
                // Before anything was stored, the settings this instance started with are the base.
                var before = stored.Version == 0 ? seed : stored.Settings;
                var after = update(before);
                if (after is null)
                {
                    return null;
                }
                RouterSettingsRules.Validate(before, after);
                return new SettingsChange(0, now, actor, kindOf?.Invoke(before, after) ?? kind, reason, before, after, reasons, Instance);
            }, expectedVersion);
        }
        catch (Exception) when (failSafe)
        {
            // The store could not record the rollback (a rollback only sets the kill switch and 0 %, which
            // no rule refuses): serve v1 anyway (fail safe) and report the failure.
            _live.Update(s => s with { KillSwitch = true, CanaryPct = 0 });
            State = RollbackState.RolledBack;
            throw;
        }
        if (stored is null)
        {
            if (latest is { Version: > 0 } seen)
            {
                Adopt(seen);
            }
            return null;
        }
        Adopt(new VersionedSettings(stored.Sequence, stored.After));
        _audit.Append(new AuditEvent(now, auditType, SettingsJsonWriter.Change(stored, breaches, verdict)));
        Changed?.Invoke(stored);
        return stored;
    }

    /// <summary>Makes a stored version live when it is newer than the one served. Called under <see cref="_lock"/>.</summary>
    private bool Adopt(VersionedSettings stored)
    {
        if (stored.Version <= _version)
        {
            return false;
        }
        _live.Set(stored.Settings);
        _version = stored.Version;
        if (stored.Settings.KillSwitch)
        {
            State = RollbackState.RolledBack;
        }
        else if (State == RollbackState.RolledBack)
        {
            ClearEpisode();
        }
        return true;
    }

    /// <summary>
    /// A pause or a manual-review flag outlives a restart: the stored history is read back, newest first,
    /// up to the last change that ended such a hold (resume, re-enable, rollback).
    /// </summary>
    private void RestoreHold()
    {
        var history = _store.History(RestoreDepth);
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var change = history[i];
            switch (change.Kind)
            {
                case SettingsChangeKind.Pause when State == RollbackState.Active:
                    State = RollbackState.Paused;
                    _pausedBy = change;
                    break;
                case SettingsChangeKind.ManualReview:
                    NeedsManualReview = true;
                    break;
                case SettingsChangeKind.Resume or SettingsChangeKind.ReEnable or SettingsChangeKind.Rollback or SettingsChangeKind.StagedRollback:
                    return;
            }
        }
    }

    private void ClearEpisode()
    {
        State = RollbackState.Active;
        NeedsManualReview = false;
        _stagedStep = 0;
        _reducedThisEpisode = false;
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
}
