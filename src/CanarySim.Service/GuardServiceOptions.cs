using System.ComponentModel.DataAnnotations;

namespace CanarySim.Service;

/// <summary>
/// Every default of the guard service in one place. Bound from the <c>Guard</c>
/// configuration section (e.g. <c>Guard__EvaluationInterval=00:00:05</c>) and from the
/// <c>canarysim serve</c> options.
/// </summary>
public sealed class GuardServiceOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Guard";

    /// <summary>Environment variable holding the ops token when no token file is given.</summary>
    public const string TokenEnvironmentVariable = "CANARYSIM_OPS_TOKEN";

    /// <summary>Environment variable holding the app token when no app token file is given.</summary>
    public const string AppTokenEnvironmentVariable = "CANARYSIM_APP_TOKEN";

    /// <summary>Addresses Kestrel listens on. The default value is <c>http://127.0.0.1:5080</c> (loopback only).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>
    /// SQLite database file (created on first start, relative paths resolve against the working
    /// directory). The default value is <c>canarysim.db</c>.
    /// </summary>
    [Required]
    public string DatabasePath { get; set; } = "canarysim.db";

    /// <summary>
    /// PostgreSQL connection string of the fleet store (<c>Host=…;Port=…;Username=…;Database=…</c>);
    /// when set, settings, history, audit log and samples live there instead of <see cref="DatabasePath"/>.
    /// The default value is null (SQLite).
    /// </summary>
    public string? Store { get; set; }

    /// <summary>
    /// The name this instance records with its settings changes. The default value is null:
    /// <c>machine:process-id</c>.
    /// </summary>
    [MaxLength(200)]
    public string? InstanceName { get; set; }

    /// <summary>How often an instance on a shared SQLite file checks whether another changed the settings. The default value is 250 milliseconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan SettingsPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long an instance that lost its PostgreSQL connection serves its last known settings before
    /// <see cref="StaleSettings"/> applies. The default value is 30 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan StoreStaleness { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What an instance serves once its settings are older than <see cref="StoreStaleness"/>. The default value is <see cref="StaleSettingsMode.FailSafe"/> (everything to v1).</summary>
    public StaleSettingsMode StaleSettings { get; set; } = StaleSettingsMode.FailSafe;

    /// <summary>The ops token itself (tests and embedding); prefer <see cref="OpsTokenFile"/> or the environment variable. The default value is null.</summary>
    public string? OpsToken { get; set; }

    /// <summary>File whose content (trimmed) is the ops token; wins over the environment variable. The default value is null.</summary>
    public string? OpsTokenFile { get; set; }

    /// <summary>The app token itself (tests and embedding): it may only route, post samples and post diffs. The default value is null (no app token).</summary>
    public string? AppToken { get; set; }

    /// <summary>File whose content (trimmed) is the app token; wins over the environment variable. The default value is null.</summary>
    public string? AppTokenFile { get; set; }

    /// <summary>Requests with a missing or wrong token one client address may make at once before it is throttled (429). The default value is 10.</summary>
    [Range(1, 100_000)]
    public int FailedAuthBurst { get; set; } = 10;

    /// <summary>How often a throttled address earns one more try. The default value is 1 second.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan FailedAuthInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How far ahead of the service clock a sample's <c>at</c> may be; later samples are refused. The default value is 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxSampleClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether a sample batch that could change a verdict triggers an evaluation at once (debounced, one at a time). The default value is true.</summary>
    public bool EvaluateOnIngest { get; set; } = true;

    /// <summary>Shortest ops token accepted at start-up. The default value is 16 characters.</summary>
    [Range(1, 4096)]
    public int MinimumTokenLength { get; set; } = 16;

    /// <summary>
    /// Allows starting without a (long enough) ops token, for local development only; logged loudly
    /// and shown on the dashboard. The default value is false.
    /// </summary>
    public bool InsecureDev { get; set; }

    /// <summary>How often the background evaluation runs (auto-rollback without anyone calling the API). The default value is 15 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Whether the background evaluation runs at all. The default value is true.</summary>
    public bool BackgroundEvaluation { get; set; } = true;

    /// <summary>Largest request body accepted, in bytes; larger bodies get 400 (payload_too_large) and change nothing. The default value is 1 MiB.</summary>
    [Range(1024, 256L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Most samples accepted by one <c>POST /guard/samples</c>. The default value is 5 000.</summary>
    [Range(1, 1_000_000)]
    public int MaxSamplesPerRequest { get; set; } = 5_000;

    /// <summary>Entries of the settings history (rollbacks and config changes) shown in the status timeline. The default value is 50.</summary>
    [Range(1, 10_000)]
    public int TimelineLength { get; set; } = 50;

    /// <summary>Most entries one <c>GET /guard/history</c> returns. The default value is 10 000.</summary>
    [Range(1, 1_000_000)]
    public int MaxHistoryLimit { get; set; } = 10_000;

    /// <summary>Points of the v1/v2 metric series kept for the dashboard charts (one per ingest or evaluation). The default value is 240.</summary>
    [Range(2, 100_000)]
    public int SeriesLength { get; set; } = 240;

    /// <summary>Longest accepted <c>reason</c> / <c>updated_by</c> text. The default value is 500 characters.</summary>
    [Range(1, 100_000)]
    public int MaxReasonLength { get; set; } = 500;

    /// <summary>Detector policy JSON file (as <c>canarysim evaluate --policy</c>); the default policy when null. The default value is null.</summary>
    public string? PolicyFile { get; set; }

    /// <summary>
    /// Prometheus server the policy's <c>source.prometheus</c> checks query (e.g. <c>http://127.0.0.1:9090</c>); a policy with
    /// such checks refuses to start without it. The default value is null.
    /// </summary>
    public string? PrometheusUrl { get; set; }

    /// <summary>
    /// Webhook (http or https URL) that receives a JSON POST for every rollback, staged rollback, traffic reduction, pause
    /// and manual-review flag, and the instruction to clear the rate limiter state after a full rollback. None when null.
    /// The default value is null.
    /// </summary>
    public string? NotifyWebhookUrl { get; set; }

    /// <summary>
    /// The rollout plan the service runs live (<c>canarysim serve --plan P.yaml</c> loads and checks it); null runs
    /// none. Not bound from configuration: the CLI or an embedder sets it. The default value is null.
    /// </summary>
    public CanarySim.Core.Rollout.RolloutPlan? Plan { get; set; }

    /// <summary>
    /// The detector policy as an object (<c>serve --plan</c> without <c>--policy</c> passes the plan's rollback triggers over the
    /// detector defaults, as the simulator does); wins over <see cref="PolicyFile"/>. Not bound from configuration. The default value is null.
    /// </summary>
    public CanarySim.Core.Detection.DetectorOptions? Policy { get; set; }

    /// <summary>Whether the runner ticks the live plan on its own (off in tests that tick by hand). The default value is true.</summary>
    public bool PlanTicks { get; set; } = true;

    /// <summary>Copies every value to <paramref name="target"/> (used to seed the options before configuration binds over them).</summary>
    public void CopyTo(GuardServiceOptions target)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Urls = Urls;
        target.DatabasePath = DatabasePath;
        target.Store = Store;
        target.InstanceName = InstanceName;
        target.SettingsPollInterval = SettingsPollInterval;
        target.StoreStaleness = StoreStaleness;
        target.StaleSettings = StaleSettings;
        target.OpsToken = OpsToken;
        target.OpsTokenFile = OpsTokenFile;
        target.MinimumTokenLength = MinimumTokenLength;
        target.InsecureDev = InsecureDev;
        target.EvaluationInterval = EvaluationInterval;
        target.BackgroundEvaluation = BackgroundEvaluation;
        target.MaxRequestBodyBytes = MaxRequestBodyBytes;
        target.MaxSamplesPerRequest = MaxSamplesPerRequest;
        target.TimelineLength = TimelineLength;
        target.MaxHistoryLimit = MaxHistoryLimit;
        target.SeriesLength = SeriesLength;
        target.MaxReasonLength = MaxReasonLength;
        target.PolicyFile = PolicyFile;
        target.AppToken = AppToken;
        target.AppTokenFile = AppTokenFile;
        target.FailedAuthBurst = FailedAuthBurst;
        target.FailedAuthInterval = FailedAuthInterval;
        target.MaxSampleClockSkew = MaxSampleClockSkew;
        target.EvaluateOnIngest = EvaluateOnIngest;
        target.PrometheusUrl = PrometheusUrl;
        target.NotifyWebhookUrl = NotifyWebhookUrl;
        target.Plan = Plan;
        target.Policy = Policy;
        target.PlanTicks = PlanTicks;
    }
}
