using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CanarySim.Core.Rollout;

/// <summary>
/// The evidence log — one row per observation window (time, window, scope,
/// fallback rate, p95, decision, notes), written as JSON here and as the seed's Markdown table by CanarySim.Reports.
/// Output depends only on the rows, so the same run gives the same bytes.
/// </summary>
public sealed class EvidenceLog
{
    private readonly List<EvidenceRow> _rows = [];

    /// <summary>Creates an empty log.</summary>
    /// <param name="title">Heading, e.g. <c>Planner V2 rollout evidence log</c>.</param>
    /// <param name="scope">What is being rolled out (shown under the heading).</param>
    public EvidenceLog(string title, string scope = "")
    {
        Title = title;
        Scope = scope;
    }

    /// <summary>Heading of the log.</summary>
    public string Title { get; }

    /// <summary>What is being rolled out.</summary>
    public string Scope { get; }

    /// <summary>Free-form policy lines shown above the table (e.g. the plan's stages and triggers).</summary>
    public List<string> Policy { get; } = [];

    /// <summary>The rows, oldest first.</summary>
    public IReadOnlyList<EvidenceRow> Rows => _rows;

    /// <summary>Appends a row; its decision must be one of <see cref="EvidenceDecision.All"/>.</summary>
    public void Add(EvidenceRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!EvidenceDecision.All.Contains(row.Decision))
        {
            throw new ArgumentException($"decision '{row.Decision}' is not in the evidence vocabulary ({string.Join(", ", EvidenceDecision.All)})", nameof(row));
        }
        _rows.Add(row);
    }

    /// <summary>Formats a fallback rate as the seed does (<c>0.250</c>, or <c>n/a</c>).</summary>
    public static string FormatRate(double? rate) => rate is { } r ? r.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>Formats a p95 as the seed does, in seconds (<c>0.534s</c>, or <c>n/a</c>).</summary>
    public static string FormatP95(double? ms) => ms is { } m ? (m / 1000).ToString("0.000", CultureInfo.InvariantCulture) + "s" : "n/a";


    /// <summary>The log as JSON (snake_case): title, scope, policy, rows.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("schema", "canarysim.evidence-log/v1");
            w.WriteString("title", Title);
            w.WriteString("scope", Scope);
            w.WriteStartArray("policy");
            foreach (var p in Policy)
            {
                w.WriteStringValue(p);
            }
            w.WriteEndArray();
            w.WriteStartArray("rows");
            foreach (var r in _rows)
            {
                w.WriteStartObject();
                w.WriteString("at", r.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                w.WriteString("window", r.Window);
                w.WriteString("scope", r.Scope);
                w.WriteString("stage", r.Stage);
                w.WriteNumber("percent", r.Percent);
                w.WriteNumber("requests", r.Requests);
                w.WriteNumber("v2_requests", r.V2Requests);
                if (r.FallbackRate is { } f)
                {
                    w.WriteNumber("fallback_rate", Math.Round(f, 6));
                }
                else
                {
                    w.WriteNull("fallback_rate");
                }
                if (r.P95LatencyMs is { } p)
                {
                    w.WriteNumber("p95_latency_ms", Math.Round(p, 3));
                }
                else
                {
                    w.WriteNull("p95_latency_ms");
                }
                w.WriteString("decision", r.Decision);
                w.WriteString("notes", r.Notes);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
