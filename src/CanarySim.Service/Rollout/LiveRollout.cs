using CanarySim.Core.Rollback;
using CanarySim.Core.Rollout;
using CanarySim.Service.Guard;

namespace CanarySim.Service.Rollout;

/// <summary>
/// A plan run live on the wall clock by Core's <see cref="RolloutDriver"/> over the service's guard. Each
/// transition is stored (<see cref="RolloutJournal"/>) BEFORE it is applied, so a restart resumes the same
/// stage with its hold already served and never repeats or skips one; a store that cannot record a
/// transition freezes the rollout (no promotion) until it can. Settings changes are made as actor
/// <see cref="PlanActor"/> (or the person who approved, paused, resumed or aborted), so they are in the
/// settings history and the audit log. A pause is the guard's pause (automatic on an inconclusive analysis,
/// or <see cref="PauseAsync"/>): it outlives a restart and one audited <see cref="ResumeAsync"/> lifts it.
/// Only the instance holding the leader lock drives; the others follow through the store.
/// </summary>
public sealed class LiveRollout : IDisposable
{
    /// <summary>The actor of the runner's own settings changes.</summary>
    public const string PlanActor = "plan";

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly GuardRuntime _runtime;
    private readonly RolloutJournal _journal;
    private readonly RolloutArtifacts _artifacts;
    private readonly ILeaderLock _leader;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly List<RolloutRecord> _history = [];
    private RolloutDriver? _driver;
    private RolloutRecord _record = null!;
    private bool _leading;
    private bool _startsNow;
    private RolloutProgress? _progress;
    private DateTimeOffset? _holdServed;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Prepares the rollout of <paramref name="plan"/> (checked: it must be able to run live); <see cref="Start"/> loads or starts it.</summary>
    /// <exception cref="PlanValidationException">The plan is invalid or cannot run live.</exception>
    public LiveRollout(RolloutPlan plan, GuardRuntime runtime, RolloutJournal journal, RolloutArtifacts artifacts, ILeaderLock leader, TimeProvider time, ILogger<LiveRollout> log)
    {
        ArgumentNullException.ThrowIfNull(plan);
        LivePlanRules.EnsureLive(plan);
        Plan = plan;
        _runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
        _journal = journal ?? throw new ArgumentNullException(nameof(journal));
        _artifacts = artifacts ?? throw new ArgumentNullException(nameof(artifacts));
        _leader = leader ?? throw new ArgumentNullException(nameof(leader));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _log = log ?? throw new ArgumentNullException(nameof(log));
    }

    /// <summary>The plan this service drives live (<c>canarysim serve --plan</c>).</summary>
    public RolloutPlan Plan { get; }

    /// <summary>Why the rollout is frozen (the store could not record a transition, or the evaluation failed); null when it is not.</summary>
    public string? Frozen { get; private set; }

    /// <summary>When the last advance was applied (for measurements), and when its stage's hold had been served.</summary>
    public (DateTimeOffset HoldServed, DateTimeOffset Applied)? LastAdvance { get; private set; }

    /// <summary>Loads the stored state of the plan (or stores its start) and, when this instance drives, moves the router to the current stage.</summary>
    public void Start()
    {
        _lock.Wait();
        try
        {
            Load();
            _leading = _leader.TryAcquire();
            if (_record is null)
            {
                if (!_leading)
                {
                    return; // the driving instance stores the start
                }
                var first = Plan.Stages[0];
                var now = _time.GetUtcNow();
                Store(new RolloutRecord
                {
                    Plan = Plan.Name, StageIndex = 0, Stage = first.Name, Percent = first.Percent, EnteredAt = now, State = RolloutStates.Running,
                    Event = "started", Actor = PlanActor, At = now,
                    Reason = $"plan '{Plan.Name}' runs live: {Plan.Stages.Count} stages, evaluated every {PlanDuration.Format(Plan.EvaluationInterval)}",
                });
                _startsNow = true;
            }
            if (_leading)
            {
                EnsureDriver();
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// One step of the runner: when this instance drives, evaluates the guard and feeds the outcome to the
    /// driver (which may advance, complete or record a rollback); otherwise reads what the driver stored.
    /// Never throws: a failure freezes the rollout until a later tick succeeds.
    /// </summary>
    public async Task TickAsync(CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var leading = _leader.TryAcquire();
            if (!leading || !_leading)
            {
                // Following, or just taken over: the stored state is the truth.
                DropDriver();
                Load();
                _leading = leading;
            }
            if (!leading || _record is null || _record.State != RolloutStates.Running)
            {
                return;
            }
            EnsureDriver();
            var outcome = await _runtime.EvaluateOutcomeAsync("plan", cancellationToken).ConfigureAwait(false);
            var steps = _driver!.Observe(outcome);
            if (_record.State == RolloutStates.Running && RolloutProgress.Of(Plan, _driver.Machine, _time.GetUtcNow()) is var progress && !progress.SameAs(_progress))
            {
                _journal.Append(progress); // the streak and criterion timers outlive a restart
                _progress = progress;
            }
            if (Frozen is not null)
            {
                _log.LogWarning("rollout of plan {Plan} unfrozen: the store records transitions again", Plan.Name);
                Frozen = null;
            }
            if (steps.Any(s => s.Kind == StageStepKind.Advance) && _holdServed is { } served)
            {
                LastAdvance = (served, _time.GetUtcNow());
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // any failure freezes the rollout: nothing is promoted until a tick succeeds again
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Frozen = $"frozen at stage '{_record?.Stage}': {ex.Message}";
            _log.LogError(ex, "rollout of plan {Plan} frozen: {Reason}", Plan.Name, ex.Message);
            DropDriver(); // rebuilt from the stored state at the next tick
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>How long the runner waits before the next tick: the plan's evaluation interval, or less when the current stage's hold ends sooner.</summary>
    public TimeSpan NextDelay()
    {
        var interval = Plan.EvaluationInterval;
        if (_record is not { State: RolloutStates.Running } record || !_leading)
        {
            return interval;
        }
        var holdEnd = record.EnteredAt + (_driver?.Machine.EffectiveMinHold ?? Plan.Stages[record.StageIndex].MinHold);
        var remaining = holdEnd - _time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            // The last evaluation was measured just before the hold ended (the tick itself took the time): judge again now.
            return _driver?.LastObservation is { } last && last.At < holdEnd && record.StageIndex == _driver.Machine.StageIndex ? TimeSpan.FromMilliseconds(1) : interval;
        }
        return remaining < interval ? remaining + TimeSpan.FromMilliseconds(1) : interval;
    }

    /// <summary>Approves <paramref name="stage"/> as <paramref name="approver"/>: only the stage the rollout is at, only by an approver its gate names, once.</summary>
    /// <exception cref="RolloutConflictException">The stage is not waiting for this approver.</exception>
    public async Task<RolloutView> ApproveAsync(string stage, string approver, string reason)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            var record = Driving("approve");
            var current = Plan.Stages[record.StageIndex];
            if (!Plan.Stages.Any(s => s.Name == stage))
            {
                throw new RolloutConflictException($"the plan has no stage '{stage}' (stages: {string.Join(", ", Plan.Stages.Select(s => s.Name))})");
            }
            if (stage != current.Name)
            {
                throw new RolloutConflictException($"stage '{stage}' is not waiting for approval: the rollout is at stage '{current.Name}'");
            }
            var approvers = current.Gates.Where(g => g.Kind == GateKind.ManualApproval).Select(g => g.Approver).Distinct().ToList();
            if (approvers.Count == 0)
            {
                throw new RolloutConflictException($"stage '{stage}' needs no approval (its gates: {string.Join(", ", current.Gates.Select(g => g.Describe()))})");
            }
            if (!approvers.Contains(approver))
            {
                throw new RolloutConflictException($"'{approver}' may not approve stage '{stage}': the plan names {string.Join(" and ", approvers)}");
            }
            if (record.Approvals.Any(a => a.Stage == stage && a.Approver == approver))
            {
                throw new RolloutConflictException($"stage '{stage}' is already approved by {approver}");
            }
            var now = _time.GetUtcNow();
            Store(record with
            {
                Approvals = [.. record.Approvals, new RolloutApproval(stage, approver, reason, now)],
                Event = "approved", Actor = approver, Reason = reason, At = now,
            });
            _runtime.Guard.Controller.Note(approver, SettingsChangeKind.Approve, $"approved stage {stage}: {reason}");
            return ViewLocked();
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Stores the raw UAT artifacts posted for <paramref name="stage"/>'s release gate (the complete set it judges; a later
    /// post before the gate is judged replaces it). The gate judges them when the stage is otherwise ready to be left.
    /// </summary>
    /// <exception cref="RolloutConflictException">The stage has no release gate, was already left, or its gate was already judged.</exception>
    /// <exception cref="Core.Gating.UatArtifactException">An artifact is invalid (named <c>artifacts[i]</c>).</exception>
    /// <exception cref="ArgumentException">No artifact, or the gate cannot judge them.</exception>
    public async Task<RolloutView> PostArtifactsAsync(string stage, IReadOnlyList<System.Text.Json.JsonElement> raws, string actor)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            var record = Driving("post artifacts");
            var target = RolloutArtifacts.StageToPost(Plan, record, stage);
            var set = _artifacts.Read(Plan.Name, target, raws, actor);
            _artifacts.Store(set);
            Store(record with
            {
                Event = "artifacts", Actor = actor, At = set.At,
                Reason = $"{set.Artifacts.Count} artifact(s) posted for the release gate of stage {stage}: {string.Join(", ", set.Artifacts.Select(a => a.Name))}",
            });
            return ViewLocked();
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The stored release gate report named <paramref name="name"/> (JSON, as <c>canarysim gate</c> writes it), or null.</summary>
    public string? Report(string name) => _artifacts.Report(name);

    /// <summary>Pauses the rollout (the guard's pause: the percentage holds) until <see cref="ResumeAsync"/>.</summary>
    public async Task<RolloutView> PauseAsync(string actor, string reason)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            var record = Driving("pause");
            if (_runtime.Guard.Controller.State == RollbackState.Paused)
            {
                throw new RolloutConflictException($"the rollout is already paused ({PauseReasons.Headline(_runtime.Guard.Controller.PausedBy?.Reason ?? "")})");
            }
            _runtime.Guard.Controller.Pause(actor, $"rollout paused at stage {record.Stage}: {reason}");
            Store(record with { Event = "paused", Actor = actor, Reason = reason, At = _time.GetUtcNow() });
            return ViewLocked();
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Resumes a paused rollout (whatever paused it, an inconclusive analysis included) or clears a manual-review flag: one audited call; a new analysis run starts.</summary>
    public async Task<RolloutView> ResumeAsync(string actor, string reason)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            var record = Driving("resume");
            var c = _runtime.Guard.Controller;
            if (c.State == RollbackState.Active && !c.NeedsManualReview)
            {
                throw new RolloutConflictException("the rollout is not paused");
            }
            _runtime.Resume(actor, reason);
            Store(record with { Event = "resumed", Actor = actor, Reason = reason, At = _time.GetUtcNow() });
            return ViewLocked();
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Aborts the rollout: a manual rollback (kill switch on, every request to v1), recorded with who and why; the plan stops.</summary>
    public async Task<RolloutView> AbortAsync(string actor, string reason)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            var record = Driving("abort");
            _runtime.Rollback(actor, $"rollout aborted at stage {record.Stage}: {reason}");
            _driver?.Machine.Abort();
            DropDriver();
            Store(record with { State = RolloutStates.RolledBack, Event = "aborted", Actor = actor, Reason = reason, At = _time.GetUtcNow() });
            return ViewLocked();
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Where the rollout stands (GET /guard/rollout).</summary>
    public RolloutView View()
    {
        _lock.Wait();
        try
        {
            return ViewLocked();
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        DropDriver();
        _lock.Dispose();
    }

    private RolloutView ViewLocked() => RolloutView.From(this, _record, _history, _driver?.Machine, _runtime, _leading, _time.GetUtcNow(),
        stage => _artifacts.Latest(Plan.Name, stage) is not null);

    private RolloutRecord Driving(string verb)
    {
        if (_record is null || !_leading)
        {
            throw new RolloutConflictException($"this instance does not drive plan '{Plan.Name}' (another instance holds the plan lock): send '{verb}' to the instance that does");
        }
        if (_record.State != RolloutStates.Running)
        {
            throw new RolloutConflictException($"the rollout is {_record.State.Replace('_', ' ')}: there is nothing to {verb}");
        }
        if (_runtime.Live.Current.KillSwitch)
        {
            throw new RolloutConflictException($"the canary is rolled back (kill switch on): there is nothing to {verb}");
        }
        return _record;
    }

    private void Load()
    {
        var history = _journal.History(Plan.Name);
        var grew = history.Count > _history.Count;
        _history.Clear();
        _history.AddRange(history);
        if (grew)
        {
            Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
        _record = history.Count > 0 ? history[^1] : null!;
    }

    /// <summary>
    /// Completes when the stored history holds more than <paramref name="known"/> transitions, or after
    /// <paramref name="timeout"/> (a client waits for the next transition without polling).
    /// </summary>
    public async Task WhenChangedAsync(int known, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Task changed;
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_history.Count > known)
            {
                return;
            }
            changed = _changed.Task;
        }
        finally
        {
            _lock.Release();
        }
        try
        {
            await changed.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // answered with the state as it is
        }
    }

    private void Store(RolloutRecord record)
    {
        _journal.Append(record);
        if (RolloutNotifications.For(_record, record, _runtime.SettingsVersion, _runtime.Instance, _runtime.Live.Current.KillSwitch) is { } notification)
        {
            _runtime.Notify(notification);
        }
        _record = record;
        _history.Add(record);
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        _log.LogInformation("rollout of plan {Plan}: {Event} at stage {Stage} by {Actor}: {Reason}", Plan.Name, record.Event, record.Stage, record.Actor, record.Reason);
    }

    private void EnsureDriver()
    {
        if (_driver is not null || _record is not { State: RolloutStates.Running })
        {
            return;
        }
        // A restarted (or taken-over) stage keeps its progress: the stored streak and criterion timers, and the rollbacks
        // the settings history holds since the stage was entered.
        _progress = _journal.Progress(Plan.Name, _record.StageIndex, _record.EnteredAt);
        var rollbacks = _runtime.History(1000).Where(c => c.At >= _record.EnteredAt
            && c.Kind is SettingsChangeKind.Rollback or SettingsChangeKind.StagedRollback or SettingsChangeKind.ReduceTraffic).Select(c => c.At).ToList();
        var gates = new LiveGateRunner(Plan.Name, () => _record, StoreGate, _artifacts, _runtime.Guard.Controller, _runtime.Router, _artifacts.Audit, _time);
        _driver = new RolloutDriver(Plan, _runtime.Guard, gates, _time, null, new RolloutDriverOptions
        {
            Actor = PlanActor,
            StageIndex = _record.StageIndex,
            StageEnteredAt = _record.EnteredAt,
            HealthyStreak = _progress?.HealthyStreak ?? 0,
            CriteriaSince = _progress?.CriteriaSince,
            Rollbacks = rollbacks,
            Journal = Journal,
        });
        if (!_runtime.Live.Current.KillSwitch)
        {
            if (_startsNow)
            {
                // The plan's salt and phase are those the rollout was rehearsed and simulated with: the salt decides which
                // sessions are in the canary (the cohorts the rehearsal predicted), the phase labels every route event. They
                // are set with the first stage when the plan starts, and never again (a restart keeps whatever is stored).
                _startsNow = false;
                var first = Plan.Stages[0];
                var wanted = RolloutDriver.SettingsFor(first, _runtime.Guard.Controller.Current) with { Salt = Plan.Salt, Phase = Plan.Phase };
                if (wanted != _runtime.Guard.Controller.Current)
                {
                    _runtime.Guard.Controller.UpdateConfig(PlanActor, $"rollout starts at {first.Name} (salt '{Plan.Salt}', phase '{Plan.Phase}')",
                        s => RolloutDriver.SettingsFor(first, s) with { Salt = Plan.Salt, Phase = Plan.Phase });
                }
            }
            // Idempotent: after a crash between storing an advance and applying it, this applies it.
            _driver.Start();
        }
    }

    private void StoreGate(RolloutGateResult result) => Store(_record with
    {
        Gates = [.. _record.Gates, result],
        Event = result.Passed ? "gate_passed" : "gate_failed", Actor = PlanActor, Reason = result.Detail, At = result.At,
    });

    private void DropDriver()
    {
        _driver?.Detach();
        _driver = null;
    }

    private void Journal(StageStep step)
    {
        var stage = Plan.Stages[step.StageIndex];
        if (step.Kind == StageStepKind.Advance)
        {
            _holdServed = _record.EnteredAt + Plan.Stages[_record.StageIndex].MinHold;
        }
        Store(step.Kind switch
        {
            StageStepKind.Advance => _record with
            {
                StageIndex = step.StageIndex, Stage = stage.Name, Percent = stage.Percent, EnteredAt = step.At,
                Event = "advanced", Actor = PlanActor, Reason = step.Reason, At = step.At,
            },
            StageStepKind.Completed => _record with { State = RolloutStates.Completed, Event = "completed", Actor = PlanActor, Reason = step.Reason, At = step.At },
            _ => _record with { State = RolloutStates.RolledBack, Event = "rolled_back", Actor = PlanActor, Reason = step.Reason, At = step.At },
        });
    }
}
