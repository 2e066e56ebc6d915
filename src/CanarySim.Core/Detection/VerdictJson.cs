using System.Text.Json;
using System.Text.Json.Serialization;

namespace CanarySim.Core.Detection;

/// <summary>Verdict JSON, snake_case, enums as their wire names.</summary>
public static class VerdictJson
{
    /// <summary>Serializer options for verdicts (snake_case, indented, nulls omitted where marked).</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // Reasons contain '>' and are read by people: keep them literal (the output is not embedded in HTML).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The verdict as JSON.</summary>
    public static string Serialize(Verdict verdict, bool indented = true) =>
        JsonSerializer.Serialize(verdict, indented ? Options : new JsonSerializerOptions(Options) { WriteIndented = false });

    /// <summary>Reads a verdict back.</summary>
    public static Verdict Deserialize(string json) =>
        JsonSerializer.Deserialize<Verdict>(json, Options) ?? throw new JsonException("verdict JSON was null");
}
