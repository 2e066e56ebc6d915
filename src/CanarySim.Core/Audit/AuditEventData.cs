using System.Text.Json;

namespace CanarySim.Core.Audit;

/// <summary>The rule every durable audit log applies before writing: an event's data is a JSON object text.</summary>
public static class AuditEventData
{
    /// <summary>Refuses an event whose data is not a JSON object text, naming the event.</summary>
    /// <exception cref="ArgumentException">The data is missing, not JSON, or JSON but not an object.</exception>
    public static void EnsureJsonObject(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        try
        {
            using var document = JsonDocument.Parse(auditEvent.Data ?? "");
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return;
            }
        }
        catch (JsonException)
        {
        }
        throw new ArgumentException($"audit event '{auditEvent.Type}' at {auditEvent.At:O}: data must be a JSON object text, got: {Truncate(auditEvent.Data)}", nameof(auditEvent));
    }

    /// <summary>The events as a list, each checked with <see cref="EnsureJsonObject"/> (before anything is written).</summary>
    /// <exception cref="ArgumentException">An event is null or its data is not a JSON object text.</exception>
    public static IReadOnlyList<AuditEvent> EnsureJsonObjects(IEnumerable<AuditEvent> auditEvents)
    {
        ArgumentNullException.ThrowIfNull(auditEvents);
        var events = auditEvents.ToList();
        foreach (var e in events)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(auditEvents));
            EnsureJsonObject(e);
        }
        return events;
    }

    private static string Truncate(string? text) => text is null ? "null" : text.Length <= 80 ? text : text[..80] + "…";
}
