using System.Text.Json;

namespace CanarySim.Core.Routing;

/// <summary>
/// The <c>engine_route</c> event body, snake_case: <c>selected</c>, <c>reason</c>,
/// <c>bucket</c>, <c>canary_pct</c>, <c>kill_switch</c>, <c>mode</c>, <c>phase</c>, plus
/// <c>unkeyed</c> and <c>algorithm</c>.
/// </summary>
public static class RouteEventJson
{
    /// <summary>The audit event type.</summary>
    public const string EventType = "engine_route";

    /// <summary>Writes the decision's fields into the current JSON object (no start/end object).</summary>
    public static void WriteFields(Utf8JsonWriter writer, in RouteDecision decision)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString("selected"u8, WireName.Of(decision.Selected));
        writer.WriteString("reason"u8, WireName.Of(decision.Reason));
        if (decision.Bucket is { } bucket)
        {
            writer.WriteNumber("bucket"u8, bucket);
        }
        else
        {
            writer.WriteNull("bucket"u8);
        }
        writer.WriteNumber("canary_pct"u8, decision.CanaryPct);
        writer.WriteBoolean("kill_switch"u8, decision.KillSwitch);
        writer.WriteString("mode"u8, WireName.Of(decision.Mode));
        writer.WriteString("phase"u8, decision.Phase);
        writer.WriteBoolean("unkeyed"u8, decision.Unkeyed);
        writer.WriteString("algorithm"u8, WireName.Of(decision.Algorithm));
    }

    /// <summary>The decision as a JSON object text.</summary>
    public static string ToJson(in RouteDecision decision)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteFields(writer, decision);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
