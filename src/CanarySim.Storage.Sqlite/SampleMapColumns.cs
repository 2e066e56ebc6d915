using System.Text;
using System.Text.Json;

namespace CanarySim.Storage.Sqlite;

/// <summary>
/// The samples table's <c>metrics</c> and <c>tags</c> columns: a JSON object (names in ordinal order) or NULL when
/// the sample carries none, so a store row reads back as the sample that was written.
/// </summary>
internal static class SampleMapColumns
{
    internal static object ToColumn(IReadOnlyDictionary<string, double>? metrics) =>
        metrics is not { Count: > 0 } ? DBNull.Value : Write(metrics, static (w, name, value) => w.WriteNumber(name, value));

    internal static object ToColumn(IReadOnlyDictionary<string, string>? tags) =>
        tags is not { Count: > 0 } ? DBNull.Value : Write(tags, static (w, name, value) => w.WriteString(name, value));

    internal static Dictionary<string, double> ReadMetrics(string json, string path, string column)
    {
        var map = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var p in Object(json, path, column).EnumerateObject())
        {
            map[p.Name] = p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetDouble(out var d)
                ? d
                : throw new CanarySimStoreException(path, $"samples.{column}: '{p.Name}' is not a number");
        }
        return map;
    }

    internal static Dictionary<string, string> ReadTags(string json, string path, string column)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in Object(json, path, column).EnumerateObject())
        {
            map[p.Name] = p.Value.ValueKind == JsonValueKind.String
                ? p.Value.GetString()!
                : throw new CanarySimStoreException(path, $"samples.{column}: '{p.Name}' is not a string");
        }
        return map;
    }

    private static JsonElement Object(string json, string path, string column)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new CanarySimStoreException(path, $"samples.{column}: expected a JSON object");
        }
        catch (JsonException ex)
        {
            throw new CanarySimStoreException(path, $"samples.{column}: not JSON ({ex.Message})", ex);
        }
    }

    private static string Write<T>(IReadOnlyDictionary<string, T> map, Action<Utf8JsonWriter, string, T> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (name, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                write(w, name, value);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
