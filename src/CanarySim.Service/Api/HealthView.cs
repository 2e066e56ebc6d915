namespace CanarySim.Service.Api;

/// <summary><c>GET /guard/health</c>.</summary>
/// <param name="Status"><c>ok</c> or <c>unhealthy</c>.</param>
/// <param name="Database">Full path of the SQLite database.</param>
/// <param name="AuthRequired">Whether mutating endpoints check the ops token.</param>
/// <param name="InsecureDev">Running with <c>--insecure-dev</c>.</param>
/// <param name="Evaluations">Evaluations run since start.</param>
/// <param name="Error">What failed, when unhealthy.</param>
public sealed record HealthView(string Status, string Database, bool AuthRequired, bool InsecureDev, long Evaluations, string? Error);
