using System.Text.Json.Nodes;
using System.Text.Json;
using CanarySim.Core;
using CanarySim.Core.Detection;
using CanarySim.Core.Notification;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;
using CanarySim.Metrics.Prometheus;
using CanarySim.Service.Api;
using CanarySim.Service.Metrics;
using CanarySim.Service.Notification;
using Microsoft.Extensions.Options;

namespace CanarySim.Service.Guard;

/// <summary>
/// The control plane the service exposes, built from the real parts: the stores (versioned
/// settings and history, audit log, samples; SQLite or PostgreSQL, from DI), <see cref="LiveSettings"/>,
/// the <see cref="CanaryRouter"/>, and a <see cref="CanaryGuard"/> (regression detector + rollback
/// controller). The live settings are a copy of a stored version: this instance's own changes go
/// through the store's compare-and-set, and changes by other instances arrive through the store's
/// watcher. Endpoints and the background evaluator only call this class.
/// </summary>
public sealed class GuardRuntime : IDisposable
{
    private readonly GuardServiceOptions _options;
    private readonly TimeProvider _time;
    private readonly GuardMetrics _metrics;
    private readonly ILogger<GuardRuntime> _log;
    private readonly GuardStores _stores;
    private readonly GroupCommitAuditSink _routeAudit;
    private readonly IngestEvaluator _ingestEvaluator;
    private readonly PrometheusMetricSource? _prometheus;
    private readonly WebhookNotifier? _webhook;
    private readonly NotificationDispatcher? _notifications;
    private readonly ServedSettings _served;
    private readonly EvaluatorTurns _evaluator;
    private readonly Lock _configLock = new();
    private readonly Lock _seriesLock = new();
    private readonly Queue<SeriesPoint> _series = new();
    private JsonObject? _lastEvaluation;
    private long _evaluations;

    /// <summary>Wires the router and the guard over the stores and starts watching them for changes by other instances.</summary>
    public GuardRuntime(IOptions<GuardServiceOptions> options, TimeProvider time, GuardMetrics metrics, ILogger<GuardRuntime> log, GuardStores stores)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _log = log ?? throw new ArgumentNullException(nameof(log));
        try
        {
            DetectorOptions = _options.Policy?.Clone()
                ?? (_options.PolicyFile is { Length: > 0 } policy ? PolicyLoader.Parse(File.ReadAllText(policy), policy) : new DetectorOptions());
        }
        catch (Exception ex) when (ex is PolicyException or IOException or UnauthorizedAccessException)
        {
            throw new GuardServiceConfigurationException($"policy file '{_options.PolicyFile}': {ex.Message}");
        }
        _stores = stores ?? throw new ArgumentNullException(nameof(stores));
        DatabasePath = stores.Location;
        Instance = _options.InstanceName is { Length: > 0 } name ? name : $"{Environment.MachineName}:{Environment.ProcessId}";
        Live = new LiveSettings(stores.Settings.Current.Settings);
        _served = new ServedSettings(Live, stores.Watcher, _options.StoreStaleness, _options.StaleSettings, time, _log);
        _evaluator = new EvaluatorTurns(stores.LeaderLock("evaluator"), Instance, _log);
        RouterMetrics = new RouterMetrics();
        _routeAudit = new GroupCommitAuditSink(stores.Audit.AppendRange, ex => _log.LogError(ex, "writing route events to the audit log failed"));
        _ingestEvaluator = new IngestEvaluator(() => Evaluate("ingest"));
        Router = new CanaryRouter(_served.Live, new RouterOptions(), RouterMetrics, new AuditRouteObserver(_routeAudit, time));
        var controller = new RollbackController(Live, stores.Settings, stores.Audit, time, DetectorOptions, Instance);
        _prometheus = CreatePrometheusSource(_options.PrometheusUrl, time);
        try
        {
            Guard = new CanaryGuard(new RegressionDetector(stores.Samples, DetectorOptions, time, _prometheus), controller, stores.Audit, time);
        }
        catch (PolicyException ex)
        {
            // e.g. the policy reads Prometheus and no server was given
            _prometheus?.Dispose();
            throw new GuardServiceConfigurationException($"policy file '{_options.PolicyFile}': {ex.Message}");
        }
        _webhook = CreateWebhook(_options.NotifyWebhookUrl, time);
        _notifications = _webhook is null ? null : new NotificationDispatcher(_webhook, stores.Audit, time, log);
        Guard.Controller.Changed += OnSettingsChanged;
        stores.Watcher.Changed += OnStoreChanged;
        stores.Watcher.SamplesAdded += OnSamplesAdded;
        stores.Watcher.Start();
    }

    /// <summary>The name this instance records with its settings changes.</summary>
    public string Instance { get; }

    /// <summary>The stored settings version the live snapshot is a copy of.</summary>
    public long SettingsVersion => Guard.Controller.Version;

    /// <summary>Raised after every evaluation (API or background) with its result JSON.</summary>
    public event Action<JsonObject>? Evaluated;

    /// <summary>Where the data lives: the SQLite file's full path or the PostgreSQL server and database.</summary>
    public string DatabasePath { get; }

    /// <summary>The stored settings this instance holds (a copy of a stored version). The router serves these, or a fail-safe copy while the store is stale (<see cref="Served"/>).</summary>
    public LiveSettings Live { get; }

    /// <summary>What the router serves now: <see cref="Live"/>, or with the kill switch forced on while the store has been out of sight longer than <c>Guard:StoreStaleness</c> (fail safe).</summary>
    public LiveSettings Served => _served.Live;

    /// <summary>Whether this instance holds the fleet's evaluator lock (it did at its last evaluation turn).</summary>
    public bool IsEvaluator => _evaluator.IsHeld;

    /// <summary>Background and ingest evaluations skipped because another instance holds the evaluator lock.</summary>
    public long SkippedEvaluations => _evaluator.Skipped;

    /// <summary>The settings store as this instance sees it (for <c>/guard/health</c>).</summary>
    public StoreHealthView StoreHealth() => _served.Health();

    /// <summary>The router's counters (planner_selection_total, planner_decision_diff_total, fallbacks).</summary>
    public RouterMetrics RouterMetrics { get; }

    /// <summary>The router serving <c>POST /guard/route</c>.</summary>
    public CanaryRouter Router { get; }

    /// <summary>The detector and rollback controller.</summary>
    public CanaryGuard Guard { get; }

    /// <summary>The detector policy in force.</summary>
    public DetectorOptions DetectorOptions { get; }

    /// <summary>Number of evaluations run so far.</summary>
    public long EvaluationCount => Interlocked.Read(ref _evaluations);

    /// <summary>Route events whose audit commit failed (their requests got an error, not a decision).</summary>
    public long DroppedAuditEvents => _routeAudit.Failed;

    /// <summary>Transactions the route audit has committed (each holds every decision that arrived while the previous one was written).</summary>
    internal long RouteAuditCommits => _routeAudit.Commits;

    /// <summary>Completes when no evaluation triggered by an ingest is pending.</summary>
    internal Task IngestEvaluationSettled => _ingestEvaluator.Settled;

    /// <summary>Completes when every notification queued so far was delivered or given up (at once without a webhook).</summary>
    internal Task NotificationsSettled => _notifications?.Settled ?? Task.CompletedTask;

    /// <summary>Evaluations triggered by ingests so far.</summary>
    internal long IngestEvaluations => _ingestEvaluator.Runs;

    /// <summary>
    /// One routing decision, counted and written to the audit log; completes once its audit event is
    /// committed (group commit), so an answered decision is a stored one.
    /// </summary>
    /// <exception cref="AuditWriteException">The audit log could not store it.</exception>
    public async Task<RouteDecision> RouteAsync(RouteRequest request)
    {
        var decision = Router.Route(request);
        await _routeAudit.WhenCommittedAsync().ConfigureAwait(false);
        return decision;
    }

    /// <summary>
    /// Runs one evaluation through the guard (which may roll back) and returns the verdict JSON with what was done. A
    /// policy whose checks query Prometheus waits for the queries here: callers that can await use <see cref="EvaluateAsync"/>.
    /// </summary>
    /// <param name="trigger"><c>api</c>, <c>background</c> or <c>ingest</c>.</param>
    /// <exception cref="NotEvaluatorException">An API evaluation while another instance holds the evaluator lock (background and ingest evaluations are skipped instead).</exception>
    public JsonObject Evaluate(string trigger)
    {
        if (!_evaluator.TryTake(trigger, out var skipped))
        {
            return skipped;
        }
        if (Guard.Detector.HasExternalChecks)
        {
            return EvaluateNowAsync(trigger, CancellationToken.None).GetAwaiter().GetResult();
        }
        GuardOutcome outcome;
        try
        {
            outcome = Guard.EvaluateAndAct();
        }
        catch (Exception ex)
        {
            _metrics.RecordEvaluationError(trigger);
            _log.LogError(ex, "evaluation ({Trigger}) failed", trigger);
            throw;
        }
        return Report(outcome, trigger);
    }

    /// <summary>Runs one evaluation, querying the policy's Prometheus checks first (a failed query is an error of that check).</summary>
    /// <param name="trigger"><c>api</c>, <c>background</c> or <c>ingest</c>.</param>
    /// <param name="cancellationToken">Abandons the queries.</param>
    /// <exception cref="NotEvaluatorException">An API evaluation while another instance holds the evaluator lock (background and ingest evaluations are skipped instead).</exception>
    public async Task<JsonObject> EvaluateAsync(string trigger, CancellationToken cancellationToken = default)
    {
        if (!_evaluator.TryTake(trigger, out var skipped))
        {
            return skipped;
        }
        return await EvaluateNowAsync(trigger, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonObject> EvaluateNowAsync(string trigger, CancellationToken cancellationToken)
    {
        GuardOutcome outcome;
        try
        {
            outcome = await Guard.EvaluateAndActAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _metrics.RecordEvaluationError(trigger);
            _log.LogError(ex, "evaluation ({Trigger}) failed", trigger);
            throw;
        }
        return Report(outcome, trigger);
    }

    /// <summary>Runs one evaluation (as <see cref="EvaluateAsync"/>, reported and counted the same way) and returns the guard's outcome, for a live rollout to observe.</summary>
    /// <param name="trigger">The trigger label (<c>plan</c>).</param>
    /// <param name="cancellationToken">Abandons the queries.</param>
    internal async Task<GuardOutcome> EvaluateOutcomeAsync(string trigger, CancellationToken cancellationToken = default)
    {
        GuardOutcome outcome;
        try
        {
            outcome = Guard.Detector.HasExternalChecks
                ? await Guard.EvaluateAndActAsync(cancellationToken).ConfigureAwait(false)
                : Guard.EvaluateAndAct();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _metrics.RecordEvaluationError(trigger);
            _log.LogError(ex, "evaluation ({Trigger}) failed", trigger);
            throw;
        }
        Report(outcome, trigger);
        return outcome;
    }

    private JsonObject Report(GuardOutcome outcome, string trigger)
    {
        var result = outcome.Verdict is { } verdict
            ? (JsonObject)JsonSerializer.SerializeToNode(verdict, VerdictJson.Options)!
            : new JsonObject { ["verdict"] = "error", ["action"] = "none", ["breaches"] = new JsonArray(), ["error"] = outcome.Measurement.Error };
        result["action_taken"] = WireName.Of(outcome.Action);
        result["run_phase"] = WireName.Of(outcome.RunPhase);
        result["trigger"] = trigger;
        result["change"] = outcome.Change is { } change ? JsonSerializer.SerializeToNode(ChangeView.From(change), GuardJson.Options) : null;
        var verdictWire = result["verdict"]?.GetValue<string>() ?? "error";
        var actionWire = result["action"]?.GetValue<string>() ?? "none";
        _metrics.RecordEvaluation(verdictWire, actionWire, trigger);
        // An evaluation started by an ingest judges the window that ingest already charted: one point, not two.
        if (outcome.Verdict is { } v && trigger != "ingest")
        {
            RecordPoint(v.At, AggregatesView.From(v.V1), AggregatesView.From(v.V2));
        }
        Volatile.Write(ref _lastEvaluation, result);
        Interlocked.Increment(ref _evaluations);
        if (outcome.Change is not null)
        {
            _log.LogWarning("evaluation ({Trigger}) acted: {Action}: {Reason}", trigger, WireName.Of(outcome.Action), outcome.Change.Reason);
        }
        Evaluated?.Invoke((JsonObject)result.DeepClone());
        return result;
    }

    /// <summary>
    /// Stores samples (all or none, committed when this returns), records a chart point and returns the
    /// window after the ingest. When the batch could change the verdict — the v2 window holds enough
    /// samples to be judged, or the batch reports a policy violation (judged on any count) — an
    /// evaluation starts at once.
    /// </summary>
    public (AggregatesView V1, AggregatesView V2) Ingest(IReadOnlyList<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        _stores.Samples.AddRange(samples);
        _metrics.RecordSamples(samples);
        var (v1, v2) = CurrentWindow();
        RecordPoint(_time.GetUtcNow(), v1, v2);
        if (_options.EvaluateOnIngest && samples.Count > 0 && (v2.Count >= DetectorOptions.MinSamples || samples.Any(s => s.PolicyViolation)))
        {
            _ingestEvaluator.Trigger();
        }
        return (v1, v2);
    }

    /// <summary>
    /// Applies a validated config update to the latest stored settings (never to this instance's copy),
    /// through the rollback controller (history + audit), as one compare-and-set. Turning the kill switch
    /// off is a re-enable (which also restarts the detector's analysis run); a body without the kill switch
    /// never touches it. Returns the recorded change (none when nothing differs).
    /// </summary>
    /// <param name="update">The parsed change.</param>
    /// <param name="expectedVersion">When given, the stored version the change was based on: another version is a conflict.</param>
    /// <exception cref="SettingsConflictException">The stored version is not <paramref name="expectedVersion"/>; nothing changed.</exception>
    public IReadOnlyList<SettingsChange> ApplyConfig(ConfigUpdate update, long? expectedVersion = null)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_configLock)
        {
            return Guard.UpdateConfig(update.UpdatedBy, update.Reason, update.ApplyTo, expectedVersion) is { } change ? [change] : [];
        }
    }

    /// <summary>The settings history, newest first, at most <paramref name="limit"/> entries.</summary>
    public IReadOnlyList<SettingsChange> History(int limit) => _stores.Settings.History(limit).Reverse().ToList();

    /// <summary>A manual rollback: kill switch on, canary 0 %, recorded with who and why.</summary>
    public SettingsChange Rollback(string actor, string reason)
    {
        lock (_configLock)
        {
            return Guard.ManualRollback(actor, reason);
        }
    }

    /// <summary>Resume after a pause, a staged rollback or a manual-review flag; starts a new analysis run. Throws when rolled back.</summary>
    public SettingsChange Resume(string actor, string reason)
    {
        lock (_configLock)
        {
            return Guard.Resume(actor, reason);
        }
    }

    /// <summary>The v1 and v2 aggregates of the policy's window now.</summary>
    public (AggregatesView V1, AggregatesView V2) CurrentWindow()
    {
        var now = _time.GetUtcNow();
        return (Aggregate(Engine.V1, now), Aggregate(Engine.V2, now));
    }

    /// <summary>Everything the dashboard shows, in one read.</summary>
    public StatusView Status()
    {
        var now = _time.GetUtcNow();
        var (v1, v2) = CurrentWindow();
        var history = _stores.Settings.History(_options.TimelineLength);
        var timeline = history.Reverse().Select(ChangeView.From).ToList();
        SeriesPoint[] series;
        lock (_seriesLock)
        {
            series = _series.ToArray();
        }
        var o = DetectorOptions;
        var paused = Guard.Controller.PausedBy;
        return new StatusView(
            new ServiceInfo(
                typeof(GuardRuntime).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
                now, DatabasePath, AuthRequired, InsecureDev,
                _options.BackgroundEvaluation, _options.EvaluationInterval.TotalSeconds,
                WireName.Of(Guard.Controller.State), Guard.Controller.NeedsManualReview, Guard.Controller.CanPromote,
                paused is null ? null : PauseReasons.Headline(paused.Reason), paused?.At),
            SettingsView.From(Live.Current, SettingsVersion),
            new WindowView(o.Window.ToString(), v1, v2),
            Volatile.Read(ref _lastEvaluation)?.DeepClone(),
            new ThresholdsView(o.MinSamples, o.QualityDropMax, o.LatencyP95MaxMs, o.CostMaxCents, o.ErrorRateMax,
                RegressionSpan(o.ErrorRateSustainFor), o.LatencySustainedP95MaxMs, RegressionSpan(o.LatencySustainFor),
                o.CostSpikeFactor, o.ComplaintsMax, o.FallbackRateMax, o.FallbackWindowRuns),
            timeline,
            series,
            new TrafficView(Selections(Engine.V1), Selections(Engine.V2), RouterMetrics.Fallbacks, DroppedAuditEvents));
    }

    /// <summary>Set by the host from the resolved ops token (shown to the dashboard).</summary>
    internal bool AuthRequired { get; set; } = true;

    /// <summary>Set by the host when running with <c>--insecure-dev</c>.</summary>
    internal bool InsecureDev { get; set; }

    /// <inheritdoc />
    public void Dispose()
    {
        _stores.Watcher.Changed -= OnStoreChanged;
        _stores.Watcher.SamplesAdded -= OnSamplesAdded;
        Guard.Controller.Changed -= OnSettingsChanged;
        _ingestEvaluator.Settled.Wait(TimeSpan.FromSeconds(10));
        _notifications?.Dispose();
        _webhook?.Dispose();
        _served.Dispose();
        _evaluator.Dispose();
        _prometheus?.Dispose();
        _routeAudit.Dispose();
    }

    private static PrometheusMetricSource? CreatePrometheusSource(string? url, TimeProvider time)
    {
        if (url is not { Length: > 0 })
        {
            return null;
        }
        if (!PrometheusSourceOptions.TryParseServer(url, out var server, out var error))
        {
            throw new GuardServiceConfigurationException($"Prometheus server: {error}");
        }
        return new PrometheusMetricSource(new PrometheusSourceOptions { Server = server }, time);
    }

    private static WebhookNotifier? CreateWebhook(string? url, TimeProvider time)
    {
        if (url is not { Length: > 0 })
        {
            return null;
        }
        if (!WebhookNotifierOptions.TryParseUrl(url, out var webhook, out var error))
        {
            throw new GuardServiceConfigurationException($"notify webhook: {error}");
        }
        return new WebhookNotifier(new WebhookNotifierOptions { Url = webhook }, time);
    }

    private long Selections(Engine engine)
    {
        long total = 0;
        for (var r = 0; r < RouteReasons.Count; r++)
        {
            total += RouterMetrics.Selections(engine, (RouteReason)r);
        }
        return total;
    }

    private AggregatesView Aggregate(Engine engine, DateTimeOffset now)
    {
        var o = DetectorOptions;
        var window = o.WindowKind == WindowKind.Count
            ? _stores.Samples.LastRuns(engine, o.WindowRuns)
            : _stores.Samples.Since(engine, now - o.WindowDuration);
        var rolling = WindowAggregates.Compute(_stores.Samples.LastRuns(engine, o.FallbackWindowRuns));
        var aggregates = WindowAggregates.Compute(window) with
        {
            FallbackRateRolling = rolling.Count == 0 ? null : rolling.FallbackRate,
        };
        return AggregatesView.From(aggregates);
    }

    private void RecordPoint(DateTimeOffset at, AggregatesView v1, AggregatesView v2)
    {
        lock (_seriesLock)
        {
            _series.Enqueue(new SeriesPoint(at, v1, v2));
            while (_series.Count > _options.SeriesLength)
            {
                _series.Dequeue();
            }
        }
    }

    /// <summary>Sends a notification that is not a settings change's procedure (a live rollout's transition) through the configured notifier, off the caller's thread; nothing without one.</summary>
    internal void Notify(GuardNotification notification) => _notifications?.Enqueue(notification);

    private void OnSettingsChanged(SettingsChange change)
    {
        _metrics.RecordSettingsChange(change);
        _notifications?.Enqueue(change);
    }

    // Samples stored by any instance of a fleet: the evaluator evaluates on them at once (debounced, like its own ingest).
    private void OnSamplesAdded()
    {
        if (_options.EvaluateOnIngest && _evaluator.IsHeld)
        {
            _ingestEvaluator.Trigger();
        }
    }

    private void OnStoreChanged(VersionedSettings stored)
    {
        var before = Live.Current;
        if (Guard.Refresh(stored))
        {
            _log.LogInformation("settings version {Version} from another instance: kill switch {Before} -> {After}, canary {Pct} %",
                stored.Version, before.KillSwitch ? "on" : "off", stored.Settings.KillSwitch ? "on" : "off", stored.Settings.CanaryPct);
        }
    }

    private static string RegressionSpan(TimeSpan span) =>
        span.TotalHours >= 1 && span.Minutes == 0 ? $"{span.TotalHours:0.##}h"
        : span.TotalMinutes >= 1 && span.Seconds == 0 ? $"{span.TotalMinutes:0.##}m"
        : $"{span.TotalSeconds:0.###}s";
}
