using System.Text.Json;

namespace CanarySim.Core.Documents;

/// <summary>
/// A JSON syntax error in words a reader of the file can act on: the parser's sentence without its own position and
/// path tail (<c>LineNumber: 0 | BytePositionInLine: 22.</c>, zero-based and, in a one-object-per-line file, always
/// line 0), with the position stated one-based.
/// </summary>
public static class JsonSyntax
{
    /// <summary>The error in a file of one JSON object per line (the caller names the file's line): <c>malformed JSON at byte 23 of the line: …</c>.</summary>
    public static string OnLine(JsonException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.BytePositionInLine is { } b ? $"malformed JSON at byte {b + 1} of the line: {Sentence(ex, "line")}" : $"malformed JSON: {Sentence(ex, "line")}";
    }

    /// <summary>The error in a whole JSON document: <c>malformed JSON at line 3, byte 5: …</c>.</summary>
    public static string InDocument(JsonException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.LineNumber is { } line
            ? $"malformed JSON at line {line + 1}{(ex.BytePositionInLine is { } b ? $", byte {b + 1}" : "")}: {Sentence(ex, "file")}"
            : $"malformed JSON: {Sentence(ex, "file")}";
    }

    /// <summary>
    /// The parser's sentence alone; a <paramref name="unit"/> (line, file) that ends inside an object or array says so
    /// instead of the parser's "Expected depth to be zero at the end of the JSON payload".
    /// </summary>
    public static string Sentence(JsonException ex, string unit = "document")
    {
        ArgumentNullException.ThrowIfNull(ex);
        var message = ex.Message;
        if (message.StartsWith("Expected depth to be zero at the end of the JSON payload", StringComparison.Ordinal))
        {
            return $"the {unit} ends inside an object or array (a '}}' or ']' is missing, or the {unit} was cut short).";
        }
        foreach (var tail in new[] { " Path: ", " LineNumber: " })
        {
            var cut = message.IndexOf(tail, StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }
        }
        return message.TrimEnd(' ', '|');
    }
}
