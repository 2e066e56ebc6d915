namespace CanarySim.Service.Guard;

/// <summary>Facts about the running service.</summary>
/// <param name="Version">Product version.</param>
/// <param name="Now">Service clock.</param>
/// <param name="Database">Full path of the SQLite database.</param>
/// <param name="AuthRequired">Whether mutating endpoints check the ops token.</param>
/// <param name="InsecureDev">Running with <c>--insecure-dev</c>.</param>
/// <param name="BackgroundEvaluation">Whether the background evaluation runs.</param>
/// <param name="EvaluationIntervalSeconds">Its interval.</param>
/// <param name="RollbackState">active, paused, rolling_back or rolled_back.</param>
/// <param name="NeedsManualReview">A manual_review verdict awaits a human.</param>
/// <param name="CanPromote">Active and no review pending.</param>
/// <param name="Paused">While paused: what paused it, short (<c>paused: inconclusive (judge, 90)</c>, <c>paused: cost_spike</c>; shown without a token too); null otherwise. Resuming is <c>POST /guard/resume</c>.</param>
/// <param name="PausedAt">While paused: when the pause was recorded.</param>
public sealed record ServiceInfo(string Version, DateTimeOffset Now, string Database, bool AuthRequired, bool InsecureDev,
    bool BackgroundEvaluation, double EvaluationIntervalSeconds, string RollbackState, bool NeedsManualReview, bool CanPromote,
    string? Paused = null, DateTimeOffset? PausedAt = null);
