using System.Text;
using System.Text.Json;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;

namespace CanarySim.Core.Rollback;

/// <summary>Snake_case JSON bodies of settings-change audit events.</summary>
internal static class SettingsJsonWriter
{
    public static void WriteSettings(Utf8JsonWriter w, string name, RouterSettings s)
    {
        w.WriteStartObject(name);
        w.WriteString("mode", WireName.Of(s.Mode));
        w.WriteNumber("canary_pct", s.CanaryPct);
        w.WriteBoolean("kill_switch", s.KillSwitch);
        w.WriteString("salt", s.Salt);
        w.WriteString("phase", s.Phase);
        w.WriteStartObject("segments");
        foreach (var (segment, o) in s.Segments.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject(segment);
            w.WriteBoolean("enabled", o.Enabled);
            if (o.CanaryPct is { } pct)
            {
                w.WriteNumber("canary_pct", pct);
            }
            else
            {
                w.WriteNull("canary_pct");
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteStartArray("cohort");
        foreach (var key in s.Cohort.Order(StringComparer.Ordinal))
        {
            w.WriteStringValue(key);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static string Change(SettingsChange change, IReadOnlyList<Breach> breaches, Verdict? verdict)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("sequence", change.Sequence);
            w.WriteNumber("version", change.Version);
            if (change.Instance.Length > 0)
            {
                w.WriteString("instance", change.Instance);
            }
            w.WriteString("at", SampleJson.FormatAt(change.At));
            w.WriteString("actor", change.Actor);
            w.WriteString("kind", WireName.Of(change.Kind));
            w.WriteString("reason", change.Reason);
            if (verdict is not null)
            {
                w.WriteString("verdict", WireName.Of(verdict.Outcome));
                w.WriteString("action", WireName.Of(verdict.Action));
            }
            w.WriteStartArray("breaches");
            foreach (var b in breaches)
            {
                w.WriteStartObject();
                w.WriteString("check", b.Check);
                w.WriteNumber("value", b.Value);
                w.WriteNumber("threshold", b.Threshold);
                w.WriteString("reason", b.Reason);
                w.WriteString("action", WireName.Of(b.Action));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            WriteSettings(w, "before", change.Before);
            WriteSettings(w, "after", change.After);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
