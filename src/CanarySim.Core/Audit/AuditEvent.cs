namespace CanarySim.Core.Audit;

/// <summary>
/// One audit record: a route decision (<c>engine_route</c>), an evaluation (<c>evaluation</c>),
/// a rollback (<c>rollback</c>) or a settings change (<c>config</c>). <see cref="Data"/> is the
/// event's JSON object (snake_case fields), kept as text so sinks stay schema-agnostic.
/// </summary>
/// <param name="At">When it happened (from the injected <see cref="TimeProvider"/>).</param>
/// <param name="Type">Event type, e.g. <c>engine_route</c>.</param>
/// <param name="Data">The event body as a JSON object text.</param>
public sealed record AuditEvent(DateTimeOffset At, string Type, string Data);
