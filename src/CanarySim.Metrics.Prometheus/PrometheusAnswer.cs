using System.Globalization;
using System.Net;
using System.Text.Json;

namespace CanarySim.Metrics.Prometheus;

/// <summary>
/// Reads the HTTP API's JSON envelope (<c>{"status":"success","data":{"resultType":…,"result":…}}</c> or
/// <c>{"status":"error","errorType":…,"error":…}</c>) down to one number.
/// </summary>
internal static class PrometheusAnswer
{
    public static double SingleValue(HttpStatusCode status, string body, string query)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw Fail($"answered HTTP {(int)status} with a body that is not JSON", query);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var state) || state.ValueKind != JsonValueKind.String)
            {
                throw Fail($"answered HTTP {(int)status} without a 'status'", query);
            }
            if (state.GetString() != "success")
            {
                throw Fail($"refused the query (HTTP {(int)status}{ErrorSuffix(root)})", query);
            }
            if (!root.TryGetProperty("data", out var data) || !data.TryGetProperty("resultType", out var type) || !data.TryGetProperty("result", out var result))
            {
                throw Fail("answered without data.resultType and data.result", query);
            }
            return type.GetString() switch
            {
                "vector" => FromVector(result, query),
                "scalar" => Number(result, query, "the scalar"),
                var other => throw Fail($"returned a {other} result, expected one value (an instant vector of one series or a scalar)", query),
            };
        }
    }

    /// <summary><c>: errorType: error</c> from an error envelope, or nothing.</summary>
    public static string ErrorSuffix(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? ErrorSuffix(doc.RootElement) : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static string ErrorSuffix(JsonElement root)
    {
        var kind = root.TryGetProperty("errorType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        return (kind, error) switch
        {
            (null, null) => "",
            (null, _) => $": {error}",
            (_, null) => $": {kind}",
            _ => $": {kind}: {error}",
        };
    }

    private static double FromVector(JsonElement result, string query)
    {
        var count = result.ValueKind == JsonValueKind.Array ? result.GetArrayLength() : -1;
        if (count == 0)
        {
            throw Fail("returned no series (is the metric scraped yet, or does the label filter match nothing?)", query);
        }
        if (count != 1)
        {
            throw Fail($"returned {count} series, expected 1 (aggregate them, e.g. with sum(...))", query);
        }
        var sample = result[0];
        if (!sample.TryGetProperty("value", out var value))
        {
            throw Fail("returned a series without a value", query);
        }
        return Number(value, query, "the series");
    }

    // A sample is [unix_time, "value"]; the value is a string so that NaN and ±Inf survive JSON.
    private static double Number(JsonElement pair, string query, string what)
    {
        if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2 || pair[1].ValueKind != JsonValueKind.String)
        {
            throw Fail($"returned {what} in an unexpected shape: {pair.GetRawText()}", query);
        }
        var text = pair[1].GetString()!;
        var parsed = text switch
        {
            "+Inf" or "Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : (double?)null,
        };
        if (parsed is not { } number)
        {
            throw Fail($"returned '{text}' for {what}, not a number", query);
        }
        if (double.IsNaN(number))
        {
            // e.g. a ratio or histogram_quantile over a window with no traffic: no measurement, not a pass.
            throw Fail($"returned NaN for {what} (no data in the window?)", query);
        }
        return number;
    }

    private static PrometheusQueryException Fail(string what, string query) => new($"prometheus {what}; query: {query}");
}
