namespace CanarySim.Service.Api;

/// <summary>Answer of <c>GET /guard/history</c>.</summary>
/// <param name="Version">The stored settings version this instance serves now.</param>
/// <param name="Instance">The instance that answered.</param>
/// <param name="Changes">The history, newest first.</param>
public sealed record HistoryResponse(long Version, string Instance, IReadOnlyList<ChangeView> Changes);
