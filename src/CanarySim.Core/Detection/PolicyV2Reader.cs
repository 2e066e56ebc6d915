using System.Text.Json;
using CanarySim.Core.Judging;
using CanarySim.Core.Routing;

namespace CanarySim.Core.Detection;

/// <summary>
/// Reads a <c>canarysim.policy/v2</c> document into <see cref="DetectorOptions"/> with
/// <see cref="DetectorOptions.Checks"/>: first the published schema, then the rules no schema can say
/// (unique names, durations). Errors name the source, the check's index and name, and the field.
/// </summary>
internal static class PolicyV2Reader
{
    public const string SchemaName = "canarysim.policy/v2";

    public static DetectorOptions Read(JsonElement root, string source)
    {
        if (PolicySchema.FirstViolation(root) is { } violation)
        {
            throw new PolicyException(source, FieldOf(root, violation.Pointer), Explain(root, violation));
        }
        var o = new DetectorOptions();
        if (root.TryGetProperty("window", out var window))
        {
            var spec = Window(window, source, "window");
            o.WindowKind = spec.Kind;
            if (spec.Kind == WindowKind.Count)
            {
                o.WindowRuns = spec.Runs;
            }
            else
            {
                o.WindowDuration = spec.Duration;
            }
        }
        o.MinSamples = Int(root, "min_samples") ?? o.MinSamples;
        o.FailureLimit = Int(root, "failure_limit") ?? o.FailureLimit;
        o.InconclusiveLimit = Int(root, "inconclusive_limit") ?? o.InconclusiveLimit;
        o.ConsecutiveErrorLimit = Int(root, "consecutive_error_limit") ?? o.ConsecutiveErrorLimit;
        o.StagedRollbackSteps = Int(root, "staged_rollback_steps") ?? o.StagedRollbackSteps;
        o.StagedRollback = root.TryGetProperty("staged_rollback", out var staged) ? staged.GetBoolean() : o.StagedRollback;
        o.ReduceTrafficFactor = root.TryGetProperty("reduce_traffic_factor", out var factor) ? factor.GetDouble() : o.ReduceTrafficFactor;
        if (root.TryGetProperty("judge", out var judge))
        {
            o.Judge = PolicyLoader.BindJudge(judge, source);
        }
        var checks = new List<CheckDefinition>();
        var index = 0;
        foreach (var item in root.GetProperty("checks").EnumerateArray())
        {
            checks.Add(Check(item, source, index++));
        }
        o.Checks = checks;
        // The verdict's rolling fallback and complaint figures follow the checks of those names.
        if (checks.FirstOrDefault(c => c.Name == CheckNames.FallbackRate)?.Window is { Kind: WindowKind.Count } fallback)
        {
            o.FallbackWindowRuns = fallback.Runs;
        }
        if (checks.FirstOrDefault(c => c.Name == CheckNames.Complaints)?.Window is { Kind: WindowKind.Time } complaints)
        {
            o.ComplaintsWindow = complaints.Duration;
        }
        var errors = o.Validate();
        if (errors.Count > 0)
        {
            throw new PolicyException(source, FieldOfError(errors[0], checks), errors[0][(errors[0].IndexOf(": ", StringComparison.Ordinal) + 2)..]
                + (errors.Count > 1 ? $" (and {errors.Count - 1} more)" : ""));
        }
        return o;
    }

    private static CheckDefinition Check(JsonElement e, string source, int index)
    {
        var name = e.GetProperty("name").GetString()!;
        var at = $"checks[{index}] ({name})";
        return new CheckDefinition
        {
            Name = name,
            Metric = e.GetProperty("metric").GetString()!,
            Aggregate = Enum<CheckAggregate>(e.GetProperty("aggregate")),
            Engine = e.TryGetProperty("engine", out var engine) && engine.GetString() == "v1" ? Engine.V1 : Engine.V2,
            Where = e.TryGetProperty("where", out var where)
                ? where.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal),
            Compare = e.TryGetProperty("compare", out var compare) ? Enum<CheckCompare>(compare) : CheckCompare.Value,
            Max = e.TryGetProperty("max", out var max) ? max.GetDouble() : null,
            Min = e.TryGetProperty("min", out var min) ? min.GetDouble() : null,
            Sustain = e.TryGetProperty("sustain", out var sustain) ? Duration(sustain, source, $"{at}.sustain") : null,
            Window = e.TryGetProperty("window", out var window) ? Window(window, source, $"{at}.window") : null,
            MinSamples = Int(e, "min_samples"),
            Action = Enum<VerdictAction>(e.GetProperty("action")),
            Reason = e.TryGetProperty("reason", out var reason) ? reason.GetString() : null,
            Source = e.TryGetProperty("source", out var src) ? new CheckSource(src.GetProperty("prometheus").GetString()) : null,
            Baseline = e.TryGetProperty("baseline", out var baseline) ? baseline.GetDouble() : null,
            Confidence = e.TryGetProperty("confidence", out var confidence) ? confidence.GetDouble() : null,
            IfNoBaseline = e.TryGetProperty("if_no_baseline", out var ifNone) ? Enum<MissingBaseline>(ifNone) : MissingBaseline.Insufficient,
            FailureLimit = Int(e, "failure_limit"),
            InconclusiveLimit = Int(e, "inconclusive_limit"),
            ConsecutiveErrorLimit = Int(e, "consecutive_error_limit"),
        };
    }

    private static WindowSpec Window(JsonElement e, string source, string field)
    {
        if (e.TryGetProperty("runs", out var runs))
        {
            return WindowSpec.LastRuns(runs.GetInt32());
        }
        var duration = Duration(e.GetProperty("duration"), source, field + ".duration");
        return duration > TimeSpan.Zero ? WindowSpec.LastDuration(duration) : throw new PolicyException(source, field + ".duration", "expected a positive duration");
    }

    private static TimeSpan Duration(JsonElement e, string source, string field) =>
        PolicyLoader.TryParseDuration(e.GetString(), out var span) && span >= TimeSpan.Zero
            ? span
            : throw new PolicyException(source, field, $"expected a duration like \"5m\", \"300s\", \"1h\" or \"00:05:00\", got \"{e.GetString()}\"");

    private static int? Int(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetInt32() : null;

    private static T Enum<T>(JsonElement e)
        where T : struct, Enum => JsonSerializer.Deserialize<T>(e.GetRawText());

    /// <summary>A JSON pointer as a field path that names the check: <c>/checks/3/aggregate</c> → <c>checks[3] (llm_rate).aggregate</c>.</summary>
    private static string? FieldOf(JsonElement root, string pointer)
    {
        var parts = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
        if (parts.Count == 0)
        {
            return null;
        }
        var text = new System.Text.StringBuilder();
        var node = root;
        foreach (var part in parts)
        {
            if (node.ValueKind == JsonValueKind.Array && int.TryParse(part, out var i))
            {
                text.Append('[').Append(i).Append(']');
                node = i < node.GetArrayLength() ? node[i] : default;
                if (node.ValueKind == JsonValueKind.Object && node.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                {
                    text.Append(" (").Append(name.GetString()).Append(')');
                }
            }
            else
            {
                text.Append(text.Length == 0 ? "" : ".").Append(part);
                node = node.ValueKind == JsonValueKind.Object && node.TryGetProperty(part, out var child) ? child : default;
            }
        }
        return text.ToString();
    }

    private static string Explain(JsonElement root, (string Pointer, string Keyword, string Message) v)
    {
        var value = Resolve(root, v.Pointer);
        var got = value.ValueKind == JsonValueKind.Undefined ? "" : $", got {(value.ValueKind == JsonValueKind.String ? $"\"{value.GetString()}\"" : Shorten(value.GetRawText()))}";
        var field = v.Pointer[(v.Pointer.LastIndexOf('/') + 1)..];
        return v.Keyword switch
        {
            "enum" => $"expected one of {Allowed(field)}{got}",
            "const" when field == "schema" => $"expected \"{SchemaName}\"{got}",
            "additionalProperties" or "falseSchema" or "" when v.Message.Contains("false", StringComparison.OrdinalIgnoreCase) => "unknown field",
            "required" => $"required field missing ({v.Message})",
            _ => $"{v.Message}{got}",
        };
    }

    private static string Allowed(string field) => field switch
    {
        "aggregate" => "mean, min, max, sum, count, rate, per_hour, p50, p90, p95, p99",
        "compare" => "value, drop, increase, ratio, judge",
        "action" => "none, hold, manual_review, pause, reduce_traffic, rollback",
        "engine" => "v1, v2",
        "if_no_baseline" => "insufficient, skip",
        _ => "the values the schema lists",
    };

    private static JsonElement Resolve(JsonElement root, string pointer)
    {
        var node = root;
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (node.ValueKind == JsonValueKind.Array && int.TryParse(part, out var i) && i < node.GetArrayLength())
            {
                node = node[i];
            }
            else if (node.ValueKind == JsonValueKind.Object && node.TryGetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal), out var child))
            {
                node = child;
            }
            else
            {
                return default;
            }
        }
        return node;
    }

    private static string Shorten(string raw) => raw.Length <= 60 ? raw : raw[..57] + "...";

    /// <summary>"Checks[2] (x).Name: duplicate" → "checks[2] (x).name".</summary>
    private static string FieldOfError(string error, IReadOnlyList<CheckDefinition> checks)
    {
        var head = error[..error.IndexOf(": ", StringComparison.Ordinal)];
        if (!head.StartsWith("Checks[", StringComparison.Ordinal))
        {
            return JsonNamingPolicy.SnakeCaseLower.ConvertName(head.Split('.')[0]);
        }
        var dot = head.LastIndexOf('.');
        var field = JsonNamingPolicy.SnakeCaseLower.ConvertName(head[(dot + 1)..]);
        var index = int.Parse(head[7..head.IndexOf(']', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
        return $"checks[{index}] ({checks[index].Name}).{field}";
    }
}
