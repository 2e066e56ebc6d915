namespace CanarySim.Service.Api;

/// <summary>How this instance sees its settings store, in <c>GET /guard/health</c>.</summary>
/// <param name="Connected">True while changes by other instances are seen as they happen (PostgreSQL: the LISTEN connection is up; SQLite: the last poll worked).</param>
/// <param name="DisconnectedSince">When the store was lost (null while connected).</param>
/// <param name="Stale">Disconnected for longer than <c>Guard:StoreStaleness</c>.</param>
/// <param name="Serving"><c>stored</c> (the stored settings), <c>fail_safe</c> (stale: kill switch forced on, everything to v1) or <c>last_known</c> (stale: the last known settings, by <c>Guard:StaleSettings=LastKnown</c>).</param>
public sealed record StoreHealthView(bool Connected, DateTimeOffset? DisconnectedSince, bool Stale, string Serving);
