using System.Globalization;
using System.Text;

namespace CanarySim.Service.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4 (no exporter package resolves here):
/// <c># HELP</c> / <c># TYPE</c> once per family, then one line per series. Label values escape
/// backslash, double quote and line feed; HELP text escapes backslash and line feed.
/// </summary>
public sealed class PrometheusTextWriter
{
    /// <summary>The content type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _out = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);

    /// <summary>Starts a metric family; each name may appear once.</summary>
    /// <param name="name">Metric name (<c>[a-zA-Z_][a-zA-Z0-9_]*</c>).</param>
    /// <param name="type"><c>counter</c>, <c>gauge</c> or <c>untyped</c>.</param>
    /// <param name="help">One-line description.</param>
    public PrometheusTextWriter Family(string name, string type, string help)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid Prometheus metric name", nameof(name));
        }
        if (!_families.Add(name))
        {
            throw new InvalidOperationException($"metric family '{name}' was already written");
        }
        _out.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        _out.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        return this;
    }

    /// <summary>Writes one series line.</summary>
    public PrometheusTextWriter Sample(string name, double value, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        _out.Append(name);
        if (labels.Length > 0)
        {
            _out.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (!IsValidName(labels[i].Name) || labels[i].Name.StartsWith("__", StringComparison.Ordinal))
                {
                    throw new ArgumentException($"'{labels[i].Name}' is not a valid Prometheus label name", nameof(labels));
                }
                if (i > 0)
                {
                    _out.Append(',');
                }
                _out.Append(labels[i].Name).Append("=\"").Append(EscapeLabelValue(labels[i].Value)).Append('"');
            }
            _out.Append('}');
        }
        _out.Append(' ').Append(FormatValue(value)).Append('\n');
        return this;
    }

    /// <summary>The text written so far.</summary>
    public override string ToString() => _out.ToString();

    /// <summary>Escapes a label value: <c>\</c> → <c>\\</c>, <c>"</c> → <c>\"</c>, line feed → <c>\n</c>.</summary>
    public static string EscapeLabelValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny("\\\"\n") < 0)
        {
            return value;
        }
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => sb.Append("\\\\"),
                '"' => sb.Append("\\\""),
                '\n' => sb.Append("\\n"),
                _ => sb.Append(c),
            };
        }
        return sb.ToString();
    }

    /// <summary>Escapes HELP text: <c>\</c> → <c>\\</c>, line feed → <c>\n</c>.</summary>
    public static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Formats a value as Go's ParseFloat reads it (<c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>, shortest round-trip otherwise).</summary>
    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static bool IsValidName(string name)
    {
        if (string.IsNullOrEmpty(name) || char.IsAsciiDigit(name[0]))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }
        return true;
    }
}
