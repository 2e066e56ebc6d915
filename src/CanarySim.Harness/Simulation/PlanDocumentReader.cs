using System.Text;
using System.Text.Json;
using CanarySim.Core.Rollout;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CanarySim.Harness.Simulation;

/// <summary>Turns YAML or JSON text into <see cref="PlanNode"/>s with line numbers; syntax errors name the file and line.</summary>
internal static class PlanDocumentReader
{
    public static PlanNode Read(string text, string source, bool json)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Fail(source, 1, "", "the plan file is empty");
        }
        return json ? ReadJson(text, source) : ReadYaml(text, source);
    }

    private static PlanValidationException Fail(string source, int line, string path, string message) =>
        new([new PlanValidationError(source, line, path, message)]);

    private static PlanNode ReadYaml(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw Fail(source, (int)ex.Start.Line, "", "YAML syntax error: " + (ex.InnerException?.Message ?? ex.Message));
        }
        if (stream.Documents.Count == 0)
        {
            throw Fail(source, 1, "", "the plan file is empty");
        }
        if (stream.Documents.Count > 1)
        {
            throw Fail(source, (int)stream.Documents[1].RootNode.Start.Line, "", "expected one YAML document, found several");
        }
        return Convert(stream.Documents[0].RootNode);
    }

    private static PlanNode Convert(YamlNode node)
    {
        var line = (int)node.Start.Line;
        switch (node)
        {
            case YamlMappingNode map:
                var m = new PlanNode { Kind = PlanNode.NodeKind.Map, Line = line };
                foreach (var (k, v) in map.Children)
                {
                    m.Entries.Add((k is YamlScalarNode ks ? ks.Value ?? "" : k.ToString(), (int)k.Start.Line, Convert(v)));
                }
                return m;
            case YamlSequenceNode seq:
                var s = new PlanNode { Kind = PlanNode.NodeKind.Seq, Line = line };
                foreach (var item in seq.Children)
                {
                    s.Items.Add(Convert(item));
                }
                return s;
            case YamlScalarNode scalar:
                var isNull = scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && (scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");
                return new PlanNode { Kind = isNull ? PlanNode.NodeKind.Null : PlanNode.NodeKind.Scalar, Line = line, Text = scalar.Value ?? "" };
            default:
                return new PlanNode { Kind = PlanNode.NodeKind.Null, Line = line };
        }
    }

    private static PlanNode ReadJson(string text, string source)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }
        int LineAt(long offset)
        {
            var idx = lineStarts.BinarySearch((int)offset);
            return (idx >= 0 ? idx : ~idx - 1) + 1;
        }
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read())
            {
                throw Fail(source, 1, "", "the plan file is empty");
            }
            var root = ReadValue(ref reader, LineAt);
            if (reader.Read())
            {
                throw Fail(source, LineAt(reader.TokenStartIndex), "", "unexpected content after the JSON document");
            }
            return root;
        }
        catch (JsonException ex)
        {
            throw Fail(source, (int)(ex.LineNumber ?? 0) + 1, "", "JSON syntax error: " + ex.Message);
        }
    }

    private delegate int LineOf(long offset);

    private static PlanNode ReadValue(ref Utf8JsonReader reader, LineOf lineAt)
    {
        var line = lineAt(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var m = new PlanNode { Kind = PlanNode.NodeKind.Map, Line = line };
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var key = reader.GetString() ?? "";
                    var keyLine = lineAt(reader.TokenStartIndex);
                    reader.Read();
                    m.Entries.Add((key, keyLine, ReadValue(ref reader, lineAt)));
                }
                return m;
            case JsonTokenType.StartArray:
                var s = new PlanNode { Kind = PlanNode.NodeKind.Seq, Line = line };
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    s.Items.Add(ReadValue(ref reader, lineAt));
                }
                return s;
            case JsonTokenType.Null:
                return new PlanNode { Kind = PlanNode.NodeKind.Null, Line = line };
            case JsonTokenType.String:
                return new PlanNode { Kind = PlanNode.NodeKind.Scalar, Line = line, Text = reader.GetString() ?? "" };
            default:
                return new PlanNode { Kind = PlanNode.NodeKind.Scalar, Line = line, Text = Encoding.UTF8.GetString(reader.ValueSpan) };
        }
    }
}
