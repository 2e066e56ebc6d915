using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CanarySim.Harness.Sweeps;

/// <summary>Reads and writes <c>sweep.json</c> and <c>runs.jsonl</c> (snake_case, <c>\n</c> line ends on every OS, so outputs compare byte for byte).</summary>
public static class SweepJson
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly JsonSerializerOptions Line = new(Indented) { WriteIndented = false };

    /// <summary>The summary as indented JSON ending in a newline.</summary>
    public static string Summary(SweepSummary summary) => JsonSerializer.Serialize(summary, Indented) + "\n";

    /// <summary>The runs as JSON lines, one run a line, in the order given.</summary>
    public static string Runs(IEnumerable<SweepRunRecord> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var sb = new StringBuilder();
        foreach (var r in runs)
        {
            sb.Append(JsonSerializer.Serialize(r, Line)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Reads a summary; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="FormatException">Naming the file and what is wrong.</exception>
    public static SweepSummary ReadSummary(string json, string source)
    {
        try
        {
            var summary = JsonSerializer.Deserialize<SweepSummary>(json, Indented) ?? throw new FormatException($"{source}: empty");
            if (summary.Schema != SweepSummary.SchemaId)
            {
                throw new FormatException($"{source}: schema '{summary.Schema}', expected '{SweepSummary.SchemaId}'");
            }
            return summary;
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: not a sweep summary ({ex.Message})", ex);
        }
    }

    /// <summary>Reads JSON lines of runs; <paramref name="source"/> names the file in errors (with the line).</summary>
    /// <exception cref="FormatException">Naming the file, the line and what is wrong.</exception>
    public static IReadOnlyList<SweepRunRecord> ReadRuns(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var runs = new List<SweepRunRecord>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }
            try
            {
                runs.Add(JsonSerializer.Deserialize<SweepRunRecord>(lines[i], Line) ?? throw new FormatException($"{source}:{i + 1}: null run"));
            }
            catch (JsonException ex)
            {
                throw new FormatException($"{source}:{i + 1}: not a sweep run ({ex.Message})", ex);
            }
        }
        return runs;
    }
}
