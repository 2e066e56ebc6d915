using System.Globalization;
using System.Text.Json;

namespace CanarySim.Core.Gating;

// Shared snake_case JSON fragments of the gate and shadow-diff reports.
internal static class JsonWire
{
    // Release managers read these files: '+' in offsets and '>' in reasons stay as written (relaxed escaping keeps the JSON
    // equivalent; the files are never embedded in HTML).
    public static readonly JsonWriterOptions ReadableIndented = new()
    {
        Indented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    public static void Cases(Utf8JsonWriter w, string name, IEnumerable<GateCaseRef> cases)
    {
        w.WriteStartArray(name);
        foreach (var c in cases)
        {
            w.WriteStartObject();
            w.WriteString("case_id", c.CaseId);
            w.WriteString("role", c.Role);
            w.WriteString("input", c.Input);
            w.WriteString("reason", c.Reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static void Input(Utf8JsonWriter w, UatArtifactHeader i)
    {
        w.WriteStartObject();
        w.WriteString("file", i.Source);
        w.WriteString("schema", i.Schema);
        w.WriteString("run_id", i.RunId);
        w.WriteString("engine", i.Engine);
        if (i.StartedAt is { } s)
        {
            w.WriteString("started_at", s.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull("started_at");
        }
        w.WriteNumber("cases", i.CaseCount);
        w.WriteEndObject();
    }
}
