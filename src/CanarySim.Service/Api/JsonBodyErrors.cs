using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace CanarySim.Service.Api;

/// <summary>
/// Turns a serializer error into a reason a client can act on: the field (JSON path), what was expected
/// there and the position — never a .NET type name.
/// </summary>
internal static partial class JsonBodyErrors
{
    public static string Explain(JsonException ex, JsonTypeInfo root)
    {
        var path = ex.Path is { Length: > 0 } p ? p : "$";
        var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
        var message = ex.Message;
        if (Unmapped().Match(message) is { Success: true } unmapped)
        {
            var parent = Resolve(root, ParentPath(path));
            var expected = parent?.Kind == JsonTypeInfoKind.Object ? $"; expected some of: {string.Join(", ", parent.Properties.Select(x => x.Name))}" : "";
            return $"unknown field '{unmapped.Groups[1].Value}' at {ParentPath(path)}{expected}";
        }
        if (Missing().Match(message) is { Success: true } missing)
        {
            return $"{path}: missing required field{(missing.Groups[1].Value.Contains(',', StringComparison.Ordinal) ? "s" : "")} {missing.Groups[1].Value}";
        }
        if (Duplicate().Match(message) is { Success: true } duplicate)
        {
            return $"duplicate key '{duplicate.Groups[1].Value}' at {ParentPath(path)}: each field may appear once";
        }
        if (message.StartsWith("Duplicate properties not allowed", StringComparison.Ordinal))
        {
            return $"duplicate key '{LastSegment(path)}' at {ParentPath(path)}: each key may appear once";
        }
        if (message.Contains("null", StringComparison.OrdinalIgnoreCase) && message.Contains("allow", StringComparison.Ordinal))
        {
            return $"{path}: null is not accepted here; expected {Describe(Resolve(root, path))}{where}";
        }
        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            var target = Resolve(root, path);
            return $"{path}: expected {Describe(target)}{where}";
        }
        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return $"the request body is nested too deeply at {path}{where}";
        }
        // Syntax errors: the reader's message names the offending character; drop its own position suffix.
        var text = message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0];
        return $"the request body is not valid JSON at {path}{where}: {text}";
    }

    /// <summary>What a JSON value must be for a type, in the words of the API.</summary>
    public static string Describe(JsonTypeInfo? type)
    {
        if (type is null)
        {
            return "a value of another type";
        }
        var t = Nullable.GetUnderlyingType(type.Type) ?? type.Type;
        return type.Kind switch
        {
            JsonTypeInfoKind.Object => "a JSON object",
            JsonTypeInfoKind.Dictionary => "a JSON object",
            JsonTypeInfoKind.Enumerable => "a JSON array",
            _ when t == typeof(string) => "a string of valid Unicode text",
            _ when t == typeof(bool) => "true or false",
            _ when t == typeof(int) || t == typeof(long) => "a whole number",
            _ when t == typeof(double) => "a number",
            _ => "a value of another type",
        };
    }

    /// <summary>The type expected at a JSON path such as <c>$[2].segments.a.canary_pct</c> (null when the path leaves the model).</summary>
    public static JsonTypeInfo? Resolve(JsonTypeInfo root, string path)
    {
        var current = root;
        foreach (Match segment in Segment().Matches(path))
        {
            if (current is null)
            {
                return null;
            }
            var name = segment.Groups["name"].Success ? segment.Groups["name"].Value
                : segment.Groups["quoted"].Success ? segment.Groups["quoted"].Value : null;
            current = current.Kind switch
            {
                JsonTypeInfoKind.Object when name is not null => current.Properties.FirstOrDefault(x => x.Name == name) is { } property
                    ? current.Options.GetTypeInfo(property.PropertyType) : null,
                JsonTypeInfoKind.Dictionary or JsonTypeInfoKind.Enumerable when current.ElementType is { } element => current.Options.GetTypeInfo(element),
                _ => null,
            };
        }
        return current;
    }

    private static string LastSegment(string path)
    {
        var matches = Segment().Matches(path);
        if (matches.Count == 0)
        {
            return "";
        }
        var last = matches[^1];
        return last.Groups["name"].Success ? last.Groups["name"].Value : last.Groups["quoted"].Success ? last.Groups["quoted"].Value : last.Groups["index"].Value;
    }

    private static string ParentPath(string path)
    {
        var matches = Segment().Matches(path);
        return matches.Count == 0 ? "$" : path[..matches[^1].Index] is { Length: > 0 } parent ? parent : "$";
    }

    [GeneratedRegex(@"The JSON property '(.*)' could not be mapped", RegexOptions.Singleline)]
    private static partial Regex Unmapped();

    [GeneratedRegex(@"missing required properties including: (.*)\.$", RegexOptions.Singleline)]
    private static partial Regex Missing();

    [GeneratedRegex(@"Duplicate property '(.*)' encountered", RegexOptions.Singleline)]
    private static partial Regex Duplicate();

    [GeneratedRegex(@"\.(?<name>[A-Za-z0-9_]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex Segment();
}
