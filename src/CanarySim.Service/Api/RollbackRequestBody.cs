namespace CanarySim.Service.Api;

/// <summary>OpenAPI shape of the <c>POST /guard/rollback</c> body.</summary>
/// <param name="Reason">Why (required).</param>
/// <param name="Actor">Who (default <c>ops</c>).</param>
public sealed record RollbackRequestBody(string Reason, string? Actor = null);
